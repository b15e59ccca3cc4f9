package sinapsis.store;

/**
 * A grid search as stored: its owner (hash of the token), the request (JSON, without pasted data),
 * its status, the results (JSON, null until it is over), the session that refit the best
 * combination, and its times.
 */
public record StoredSearch(String id, String ownerHash, String request, String status, String results,
                           String bestSessionId, long createdAt, long finishedAt) {
}
