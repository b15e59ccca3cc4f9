package sinapsis.training;

/**
 * What one epoch measured; validation and accuracy values are null when they do not apply.
 * {@code line} is the weight and bias of a network that is one linear neuron on one input (as
 * trained, before undoing standardisation), else null.
 */
public record EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy, double[] line) {
    public EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy) {
        this(epoch, loss, valLoss, accuracy, valAccuracy, null);
    }
}
