package sinapsis.training;

/** The learned parameters of one Dense layer: {@code weights[input][unit]} and {@code biases[unit]}. */
public record LayerWeights(double[][] weights, double[] biases) {
}
