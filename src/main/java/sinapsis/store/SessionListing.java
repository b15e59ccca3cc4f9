package sinapsis.store;

/**
 * One line of "My sessions" or a class board: name, status, final loss, the last epoch's other
 * values ({@code val_loss}, {@code accuracy}, …) and a thinned loss curve (at most ~40 points).
 */
public record SessionListing(String id, String name, String status, String dataset, long createdAt,
                             long epochCount, Double finalLoss, java.util.Map<String, Double> lastMetrics,
                             double[] curve) {
}
