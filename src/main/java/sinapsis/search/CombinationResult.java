package sinapsis.search;

import java.util.List;
import java.util.Map;

/**
 * How one combination did: its values, each fold's score (null where a fold has not been scored or
 * failed), the mean and standard deviation over the scored folds (as scikit-learn's
 * {@code mean_test_score} and {@code std_test_score}), its rank (1 = best; 0 until the search
 * ends), its status, and a loss curve of its first fold ({@code [epoch, loss]} pairs, thinned).
 */
public record CombinationResult(Map<String, Object> params, List<Double> scores, Double meanScore, Double stdScore,
                                int rank, String status, double[][] curve) {
}
