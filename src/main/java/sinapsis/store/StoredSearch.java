package sinapsis.store;

/**
 * A grid search as stored: its owner (hash of the token), the request (JSON, without pasted data),
 * its status, the results (JSON, null until it is over), the session that refit the best
 * combination, its times, and, while it goes on a database the nodes share, how it stands as its
 * holder last wrote it (JSON; null when none has yet).
 */
public record StoredSearch(String id, String ownerHash, String request, String status, String results,
                           String bestSessionId, long createdAt, long finishedAt, String progress) {
    public boolean isOver() {
        return !status.equals("queued") && !status.equals("running");
    }
}
