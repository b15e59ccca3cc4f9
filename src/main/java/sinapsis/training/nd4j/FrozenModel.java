package sinapsis.training.nd4j;

import java.util.List;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;

/** A trained network whose parameters no longer change: its weights read once, predictions its kind's own. */
abstract class FrozenModel implements TrainedModel {
    private final List<LayerWeights> weights;

    FrozenModel(List<LayerWeights> weights) {
        this.weights = List.copyOf(weights);
    }

    @Override
    public final List<LayerWeights> weights() {
        return weights;
    }
}
