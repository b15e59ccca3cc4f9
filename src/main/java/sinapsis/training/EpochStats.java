package sinapsis.training;

/**
 * What one epoch measured; validation and accuracy values are null when they do not apply.
 * {@code line} is the weight and bias of a network that is one linear neuron on one input (as
 * trained, before undoing standardisation), else null.
 */
public record EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy, double[] line,
                         Double dataLoss) {
    /** An epoch without a penalty on the weights: the loss is all data loss. */
    public EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy, double[] line) {
        this(epoch, loss, valLoss, accuracy, valAccuracy, line, null);
    }

    public EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy) {
        this(epoch, loss, valLoss, accuracy, valAccuracy, null);
    }
}
