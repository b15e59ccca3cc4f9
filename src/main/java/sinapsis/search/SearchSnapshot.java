package sinapsis.search;

import java.util.List;

/**
 * A search as it stands: status, scoring ({@code neg_mean_squared_error} or {@code accuracy}),
 * the runs done out of all, one result per combination, the best combination's index (null until
 * the search ends) and the session that refit it.
 */
public record SearchSnapshot(String status, String scoring, int runsDone, int runsTotal,
                             List<CombinationResult> results, Integer best, String bestSessionId) {
}
