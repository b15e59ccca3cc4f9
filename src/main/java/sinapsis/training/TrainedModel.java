package sinapsis.training;

import java.util.List;

/** A trained network: predicts outputs (after the output activation) and shows its parameters. */
public interface TrainedModel {
    double[][] predict(double[][] inputs);

    /**
     * Each hidden layer's outputs (after its activation) for inputs as the network takes them, one
     * row per input row; empty for networks that do not show them (image networks).
     */
    default List<double[][]> hiddenActivations(double[][] inputs) {
        return List.of();
    }

    /**
     * An image network's convolution and pooling outputs for one input (as the data holds it), at
     * most {@code channels} maps a layer; empty for networks without them.
     */
    default List<LayerMaps> activationMaps(double[] input, int channels) {
        return List.of();
    }

    List<LayerWeights> weights();
}
