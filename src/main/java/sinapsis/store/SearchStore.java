package sinapsis.store;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Grid searches in the database: a row when one starts, its results when it ends. */
public final class SearchStore {
    private final Database database;
    private final Jdbi reads;
    private final Jdbi writes;

    public SearchStore(Database database) {
        this.database = database;
        this.reads = database.reader();
        this.writes = database.writer();
    }

    public void insert(String id, String ownerHash, String request, String status, long createdAt) {
        writes.useHandle(h -> h.createUpdate("""
                        INSERT INTO searches (id, owner_hash, request, status, created_at, node_id)
                        VALUES (:id, :owner, :request, :status, :createdAt, :node)""")
                .bind("node", database.node()).bind("id", id).bind("owner", ownerHash).bind("request", request).bind("status", status)
                .bind("createdAt", createdAt).execute());
    }

    public void finish(String id, String status, String results, String bestSessionId, long finishedAt) {
        writes.useHandle(h -> h.createUpdate("""
                        UPDATE searches SET status = :status, results = :results, best_session_id = :best,
                                            finished_at = :finishedAt WHERE id = :id""")
                .bind("id", id).bind("status", status).bind("results", results).bind("best", bestSessionId)
                .bind("finishedAt", finishedAt).execute());
    }

    public Optional<StoredSearch> find(String id) {
        return reads.withHandle(h -> h.createQuery("SELECT * FROM searches WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> new StoredSearch(rs.getString("id"), rs.getString("owner_hash"),
                        rs.getString("request"), rs.getString("status"), rs.getString("results"),
                        rs.getString("best_session_id"), rs.getLong("created_at"), rs.getLong("finished_at")))
                .findOne());
    }

    /** The id of the search whose refit session this is. */
    public Optional<String> refitInto(String sessionId) {
        return reads.withHandle(h -> h.createQuery("SELECT id FROM searches WHERE best_session_id = :session")
                .bind("session", sessionId).mapTo(String.class).findFirst());
    }

    /**
     * Searches left going by a node that is gone (see {@link SessionStore#interruptOrphaned}): their
     * runs went with it, so they are interrupted. Returns how many.
     */
    public int interruptOrphaned(long now) {
        return writes.withHandle(h -> h.createUpdate("""
                        UPDATE searches SET status = 'interrupted', finished_at = :now
                        WHERE status IN ('queued', 'running')
                          AND (node_id IS NULL OR (node_id <> :self
                               AND node_id NOT IN (SELECT id FROM nodes WHERE seen_at >= :aliveSince)))""")
                .bind("now", now).bind("self", database.node()).bind("aliveSince", database.aliveSince(now))
                .execute());
    }

    /** At a clean stop: the searches this node still runs are interrupted. */
    public int interruptHeldHere(long now) {
        return writes.withHandle(h -> h.createUpdate("""
                        UPDATE searches SET status = 'interrupted', finished_at = :now
                        WHERE status IN ('queued', 'running') AND node_id = :self""")
                .bind("now", now).bind("self", database.node()).execute());
    }
}
