package sinapsis.training;

import java.util.List;

/**
 * One step of gradient descent on the whole training set, as the step-by-step view shows it, all
 * in the units the network trains on: the parameters before, the predictions and loss they give,
 * the gradient ∂L/∂θ of every parameter, the update the optimizer subtracts (η·∂L/∂θ for plain
 * gradient descent), the parameters after and the new loss. Step 0 is the starting point: no
 * gradient, update or parameters after yet.
 */
public record GradientStep(int step, List<LayerWeights> before, double[][] predictions, double loss,
                           List<LayerWeights> gradients, List<LayerWeights> updates, List<LayerWeights> after,
                           double newLoss) {
    public static GradientStep start(List<LayerWeights> weights, double[][] predictions, double loss) {
        return new GradientStep(0, weights, predictions, loss, null, null, null, loss);
    }
}
