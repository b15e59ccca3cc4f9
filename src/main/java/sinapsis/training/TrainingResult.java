package sinapsis.training;

import java.util.List;
import java.util.Map;

/**
 * What a finished (or stopped) run learned: the parameters, a Keras-style summary, metrics in
 * original units (Keras names: {@code loss}, {@code val_loss}, {@code mse}, {@code mae}, {@code r2},
 * {@code accuracy}, …), predictions for every row, a confusion matrix for classification
 * (rows: true class, columns: predicted), the learned equation where there is one, timing, and
 * how early stopping ended the run (null when it did not).
 */
public record TrainingResult(List<LayerWeights> weights, List<SummaryRow> summary, long totalParameters,
                             Map<String, Double> metrics, double[][] predictions, int[][] confusionMatrix,
                             Equation equation, int epochs, long trainingMillis, EarlyStop earlyStop) {
    public TrainingResult {
        weights = List.copyOf(weights);
        summary = List.copyOf(summary);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics)); // in Keras's order
    }

    /** The same result with other per-row predictions (null: none). */
    public TrainingResult withPredictions(double[][] rows) {
        return new TrainingResult(weights, summary, totalParameters, metrics, rows, confusionMatrix, equation, epochs,
                trainingMillis, earlyStop);
    }
}
