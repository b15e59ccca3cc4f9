package sinapsis.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Grid searches in the database: a row when one starts, its results when it ends. On a database
 * the nodes share, also a queue of searches (issue 17): a search made on a node that does not
 * train waits in it ({@link SessionStore#WAITING_FOR_A_WORKER} in {@code node_id}, as a run does)
 * until a node that trains claims it; its holder writes how it stands for the other nodes'
 * viewers; a stop asked elsewhere waits in {@code control} for the holder; and a search whose
 * holder is gone (or stopped cleanly) goes back to the queue to be started over by another node,
 * from the request kept with it ({@code pending_request}, the pasted table included, until it ends).
 */
public final class SearchStore {
    private static final String WAITING = SessionStore.WAITING_FOR_A_WORKER;
    private static final String NOT_OVER = "('queued', 'running')";

    private final Database database;
    private final Jdbi reads;
    private final Jdbi writes;
    private final boolean trainsHere;

    public SearchStore(Database database) {
        this(database, true);
    }

    /** {@code trainsHere}: whether this node trains (a web node's searches wait for one that does). */
    public SearchStore(Database database, boolean trainsHere) {
        this.database = database;
        this.reads = database.reader();
        this.writes = database.writer();
        this.trainsHere = trainsHere;
    }

    /** Whether other nodes share this database (and so its queue of searches). */
    public boolean isShared() {
        return database.isShared();
    }

    /** Whether this node trains searches itself; when not, they wait for a node that does. */
    public boolean trainsHere() {
        return trainsHere;
    }

    /**
     * A search this node runs from now on; {@code dataBytes} of pasted table counted in {@code space}
     * until it ends (see {@link SessionStore#spaceUsed}).
     */
    public void insert(String id, String ownerHash, String request, String status, long createdAt, String space,
                       long dataBytes) {
        insert(id, ownerHash, request, status, createdAt, space, dataBytes, null, null, null);
    }

    /**
     * A search, with what another node needs to start it over ({@code pendingRequest},
     * {@code refitName}) and how it stands ({@code progress}); held by this node when it trains,
     * else queued for one that does (which every node that trains hears of at once). Its pasted
     * table's {@code dataBytes} count in {@code space} until it ends, in the same transaction.
     */
    public void insert(String id, String ownerHash, String request, String status, long createdAt, String space,
                       long dataBytes, String pendingRequest, String refitName, String progress) {
        boolean waits = !trainsHere && database.isShared();
        writes.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO searches (id, owner_hash, request, status, created_at, node_id, pending_request,
                                                  refit_name, progress, queued_at, space, data_bytes)
                            VALUES (:id, :owner, :request, :status, :createdAt, :node, :pending, :refitName, :progress,
                                    :createdAt, :space, :dataBytes)""")
                    .bind("node", waits ? WAITING : database.node()).bind("id", id).bind("owner", ownerHash)
                    .bind("request", request).bind("status", status).bind("createdAt", createdAt)
                    .bind("pending", pendingRequest).bind("refitName", refitName).bind("progress", progress)
                    .bind("space", space).bind("dataBytes", space == null ? 0 : dataBytes).execute();
            SpaceUsage.add(h, space, dataBytes);
            if (waits) {
                database.notifyNodes(h, NodeNotifications.Kind.WORK);
            }
        });
    }

    /**
     * Ends the searches {@code update} matches — it sets an ending status, and its {@code WHERE}
     * matches only searches not over yet — and takes their tables out of their spaces, in one
     * transaction; returns how many ended. A search ends once: a second ending finds it over.
     */
    private int end(String update, java.util.function.Consumer<org.jdbi.v3.core.statement.Query> binds) {
        return writes.inTransaction(h -> {
            org.jdbi.v3.core.statement.Query query = h.createQuery(update + " RETURNING space, data_bytes");
            binds.accept(query);
            List<Map.Entry<String, Long>> ended = query.map((rs, ctx) -> Map.entry(
                    java.util.Objects.requireNonNullElse(rs.getString("space"), ""), rs.getLong("data_bytes"))).list();
            for (Map.Entry<String, Long> counted : ended) {
                SpaceUsage.add(h, counted.getKey().isEmpty() ? null : counted.getKey(), -counted.getValue());
            }
            return ended.size();
        });
    }

    /**
     * Ends a search this node holds. Returns false, changing nothing, when it no longer does (it
     * went back to the queue while this node's heartbeat was late, or ended elsewhere).
     */
    public boolean finish(String id, String status, String results, String bestSessionId, long finishedAt) {
        return end("""
                UPDATE searches SET status = :status, results = :results, best_session_id = :best,
                                    finished_at = :finishedAt, pending_request = NULL, progress = NULL,
                                    control = NULL
                WHERE id = :id AND (node_id = :self OR node_id IS NULL) AND status IN""" + NOT_OVER,
                query -> query.bind("id", id).bind("status", status).bind("results", results)
                        .bind("best", bestSessionId).bind("finishedAt", finishedAt).bind("self", database.node())) > 0;
    }

    /**
     * How a search this node holds stands now, for the other nodes' viewers. Returns false when this
     * node no longer holds it (see {@link #finish}).
     */
    public boolean progress(String id, String status, String progress) {
        return writes.withHandle(h -> h.createUpdate("""
                        UPDATE searches SET status = :status, progress = :progress
                        WHERE id = :id AND node_id = :self AND status IN""" + NOT_OVER)
                .bind("id", id).bind("status", status).bind("progress", progress).bind("self", database.node())
                .execute()) > 0;
    }

    /** How many searches wait for a node that trains (made on a web node, or left by a gone node). */
    public int waiting() {
        return reads.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM searches WHERE status = 'queued' AND node_id = <waiting>")
                .mapTo(Integer.class).one());
    }

    /** A search waiting for a node that trains, now this node's to run: what it needs to start. */
    public record ClaimedSearch(String id, String ownerHash, long createdAt, String pendingRequest, String refitName,
                                String space) {
    }

    /**
     * Takes a search waiting for a node that trains, fairly across the cluster: that of the space (a
     * class, or a client outside classes) whose searches the nodes hold fewest of right now goes
     * first, then the one that has waited longest — a class, or a client outside classes, that made
     * several searches does not keep the others' waiting until all of its own have run (within a
     * class, the oldest goes first: its students share its space). The row is locked and
     * skipped by any other node claiming at the same moment, so each goes to one node. Only on a
     * shared database, on a node that trains.
     */
    public Optional<ClaimedSearch> claim() {
        if (!database.isShared() || !trainsHere || waiting() == 0) {
            return Optional.empty(); // nothing waits: a read, no transaction that locks
        }
        return writes.inTransaction(h -> {
            Optional<ClaimedSearch> claim = h.createQuery("""
                            SELECT s.id, s.owner_hash, s.created_at, s.pending_request, s.refit_name, s.space
                            FROM searches s
                            WHERE s.status = 'queued' AND s.node_id = <waiting>
                            ORDER BY (SELECT COUNT(*) FROM searches held
                                      WHERE held.status IN %s AND held.node_id IS NOT NULL
                                        AND held.node_id <> <waiting>
                                        AND COALESCE(held.space, '') = COALESCE(s.space, '')),
                                     s.queued_at, s.id
                            LIMIT 1 FOR UPDATE OF s SKIP LOCKED""".formatted(NOT_OVER))
                    .map((rs, ctx) -> new ClaimedSearch(rs.getString("id"), rs.getString("owner_hash"),
                            rs.getLong("created_at"), rs.getString("pending_request"), rs.getString("refit_name"),
                            rs.getString("space")))
                    .findOne();
            claim.ifPresent(c -> h.createUpdate("UPDATE searches SET node_id = :self, control = NULL WHERE id = :id")
                    .bind("self", database.node()).bind("id", c.id()).execute());
            return claim;
        });
    }

    /**
     * Stops a search that still waits for a node: no node holds it, so the stop is done here.
     * False when a node holds it (ask it with {@link #requestStop}) or it is over.
     */
    public boolean stopIfWaiting(String id, long now) {
        return end("""
                UPDATE searches SET status = 'stopped', finished_at = :now, pending_request = NULL, control = NULL
                WHERE id = :id AND status = 'queued' AND node_id = <waiting>""",
                query -> query.bind("id", id).bind("now", now)) > 0;
    }

    /** Asks the node that holds a search to stop it (it looks a few times a second). */
    public void requestStop(String id) {
        writes.useHandle(h -> h.createUpdate("UPDATE searches SET control = 'stop' WHERE id = :id AND status IN "
                + NOT_OVER).bind("id", id).execute());
    }

    /** The searches this node holds that another node asked to stop. */
    public Set<String> stopsAsked() {
        return Set.copyOf(reads.withHandle(h -> h.createQuery("""
                        SELECT id FROM searches WHERE node_id = :self AND control = 'stop' AND status IN""" + NOT_OVER)
                .bind("self", database.node()).mapTo(String.class).list()));
    }

    public Optional<StoredSearch> find(String id) {
        return reads.withHandle(h -> h.createQuery("SELECT * FROM searches WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> stored(rs)).findOne());
    }

    /** These searches as stored now (one query), by id; an unknown one is left out. */
    public Map<String, StoredSearch> findAll(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return reads.withHandle(h -> h.createQuery("SELECT * FROM searches WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(ids)).map((rs, ctx) -> stored(rs)).list()).stream()
                .collect(java.util.stream.Collectors.toMap(StoredSearch::id, s -> s));
    }

    private static StoredSearch stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredSearch(rs.getString("id"), rs.getString("owner_hash"), rs.getString("request"),
                rs.getString("status"), rs.getString("results"), rs.getString("best_session_id"),
                rs.getLong("created_at"), rs.getLong("finished_at"), rs.getString("progress"));
    }

    /** The id of the search whose refit session this is. */
    public Optional<String> refitInto(String sessionId) {
        return reads.withHandle(h -> h.createQuery("SELECT id FROM searches WHERE best_session_id = :session")
                .bind("session", sessionId).mapTo(String.class).findFirst());
    }

    /**
     * Searches held by a node that is gone, which can be started over ({@code pending_request}),
     * go back to the queue for any node that trains; their folds start again from the first (each
     * fold's run is seeded, so the scores come out the same). Returns how many. Only on a shared
     * database.
     */
    public int requeueOrphaned(long now) {
        return backToQueue(now, """
                pending_request IS NOT NULL AND node_id IS NOT NULL AND node_id <> <waiting> AND node_id <> :self
                AND node_id NOT IN (SELECT id FROM nodes WHERE seen_at >= :aliveSince)""",
                update -> update.bind("aliveSince", database.aliveSince(now)));
    }

    /**
     * At a clean stop on a shared database: the searches this node runs go back to the queue, for
     * another node to start over. Returns how many.
     */
    public int handBackHeldHere(long now) {
        return backToQueue(now, "pending_request IS NOT NULL AND node_id = :self", update -> { });
    }

    /** The searches not over that match {@code which} wait in the queue again, from now; the nodes that train hear of it. */
    private int backToQueue(long now, String which,
                            java.util.function.Consumer<org.jdbi.v3.core.statement.Update> binds) {
        if (!database.isShared()) {
            return 0;
        }
        return writes.inTransaction(h -> {
            org.jdbi.v3.core.statement.Update update = h.createUpdate("UPDATE searches SET node_id = <waiting>, "
                            + "status = 'queued', queued_at = :now, control = NULL WHERE status IN " + NOT_OVER + " AND "
                            + which)
                    .bind("now", now).bind("self", database.node());
            binds.accept(update);
            int queued = update.execute();
            if (queued > 0) {
                database.notifyNodes(h, NodeNotifications.Kind.WORK);
            }
            return queued;
        });
    }

    /**
     * Searches left going by a node that is gone (see {@link SessionStore#interruptOrphaned}) that
     * cannot be started over (made before a search kept its request, or on the embedded store): their
     * runs went with it, so they are interrupted. Returns how many.
     */
    public int interruptOrphaned(long now) {
        return end("""
                UPDATE searches SET status = 'interrupted', finished_at = :now, pending_request = NULL
                WHERE status IN ('queued', 'running')
                  AND (node_id IS NULL OR (node_id <> :self AND node_id <> <waiting>
                       AND node_id NOT IN (SELECT id FROM nodes WHERE seen_at >= :aliveSince)))""",
                query -> query.bind("now", now).bind("self", database.node())
                        .bind("aliveSince", database.aliveSince(now)));
    }

    /** At a clean stop: the searches this node still runs (those not handed back) are interrupted. */
    public int interruptHeldHere(long now) {
        return end("""
                UPDATE searches SET status = 'interrupted', finished_at = :now, pending_request = NULL
                WHERE status IN ('queued', 'running') AND node_id = :self""",
                query -> query.bind("now", now).bind("self", database.node()));
    }
}
