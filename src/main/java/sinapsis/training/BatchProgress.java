package sinapsis.training;

/**
 * How far a long epoch has come: batch {@code batch} of {@code batches} of epoch {@code epoch},
 * with the mean loss and accuracy (null for regression) of its batches so far, as Keras's progress
 * bar shows them.
 */
public record BatchProgress(int epoch, int batch, int batches, double loss, Double accuracy) {
}
