package sinapsis.training;

/** What one epoch measured; validation and accuracy values are null when they do not apply. */
public record EpochStats(int epoch, double loss, Double valLoss, Double accuracy, Double valAccuracy) {
}
