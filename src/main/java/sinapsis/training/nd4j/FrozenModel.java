package sinapsis.training.nd4j;

import java.util.List;
import java.util.function.Supplier;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;

/**
 * A trained network whose parameters no longer change: its weights read once, when first asked
 * for (a live copy taken after an epoch that nobody looks at costs only the copy of its
 * parameters), predictions its kind's own.
 */
abstract class FrozenModel implements TrainedModel {
    private final Supplier<List<LayerWeights>> read;
    private volatile List<LayerWeights> weights;

    FrozenModel(Supplier<List<LayerWeights>> read) {
        this.read = read;
    }

    @Override
    public final List<LayerWeights> weights() {
        List<LayerWeights> known = weights;
        if (known == null) {
            synchronized (this) {
                if (weights == null) {
                    weights = List.copyOf(read.get());
                }
                known = weights;
            }
        }
        return known;
    }
}
