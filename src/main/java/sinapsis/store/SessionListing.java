package sinapsis.store;

/** One line of "My sessions": name, status, final loss and a thinned loss curve (at most ~40 points). */
public record SessionListing(String id, String name, String status, String dataset, long createdAt,
                             long epochCount, Double finalLoss, double[] curve) {
}
