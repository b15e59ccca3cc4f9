package sinapsis.training;

import java.util.List;

/** A trained network: predicts outputs (after the output activation) and shows its parameters. */
public interface TrainedModel {
    double[][] predict(double[][] inputs);

    List<LayerWeights> weights();
}
