package sinapsis.store;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The nodes that share the database: each one's row, renewed by its heartbeat (see {@code Cluster}). */
public final class NodeStore {
    /** One node as stored, with how many runs it holds now (queued, running or paused there). */
    public record StoredNode(String id, String role, String host, String backend, String device, int slots,
                             String version, long startedAt, long seenAt, int runs) {
    }

    private final Database database;
    private final Jdbi reads;
    private final Jdbi writes;

    public NodeStore(Database database) {
        this.database = database;
        this.reads = database.reader();
        this.writes = database.writer();
    }

    /** Writes (or writes again) this node's row, seen now. */
    public void register(String role, String host, String backend, String device, int slots, String version,
                         long startedAt, long now) {
        writes.useTransaction(h -> {
            if (database.isShared()) {
                h.createUpdate("DELETE FROM nodes WHERE id = :id").bind("id", database.node()).execute();
            } else { // the embedded store has one node: the rows of earlier starts (a kill -9 leaves one) go
                h.execute("DELETE FROM nodes");
            }
            h.createUpdate("""
                            INSERT INTO nodes (id, role, host, backend, device, slots, version, started_at, seen_at)
                            VALUES (:id, :role, :host, :backend, :device, :slots, :version, :startedAt, :now)""")
                    .bind("id", database.node()).bind("role", role).bind("host", clip(host, 200))
                    .bind("backend", clip(backend, 16)).bind("device", clip(device, 300)).bind("slots", slots)
                    .bind("version", clip(version, 40)).bind("startedAt", startedAt).bind("now", now).execute();
        });
    }

    /** The heartbeat: false when this node's row is gone (another node took it for dead), so it registers again. */
    public boolean beat(long now) {
        return writes.withHandle(h -> h.createUpdate("UPDATE nodes SET seen_at = :now WHERE id = :id")
                .bind("now", now).bind("id", database.node()).execute()) == 1;
    }

    /** The nodes alive at {@code now} (a heartbeat within the lease; on the embedded store this one), oldest first. */
    public List<StoredNode> alive(long now) {
        long since = database.isShared() ? now - database.lease().toMillis() : Long.MAX_VALUE;
        return reads.withHandle(h -> h.createQuery("""
                        SELECT n.id, n.role, n.host, n.backend, n.device, n.slots, n.version, n.started_at, n.seen_at,
                               (SELECT COUNT(*) FROM sessions s WHERE s.node_id = n.id
                                  AND s.status IN ('queued', 'running', 'paused')) AS runs
                        FROM nodes n WHERE n.seen_at >= :since OR n.id = :self
                        ORDER BY n.started_at, n.id""")
                .bind("since", since).bind("self", database.node())
                .map((rs, ctx) -> new StoredNode(rs.getString("id"), rs.getString("role"), rs.getString("host"),
                        rs.getString("backend"), rs.getString("device"), rs.getInt("slots"), rs.getString("version"),
                        rs.getLong("started_at"), rs.getLong("seen_at"), rs.getInt("runs")))
                .list());
    }

    /** Sessions waiting for a worker, on every node. */
    public int queued() {
        return reads.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions WHERE status = 'queued'")
                .mapTo(Integer.class).one());
    }

    /** The rows of nodes gone for longer than {@code gone} milliseconds (their runs were reclaimed before). */
    public int forgetGone(long now, long gone) {
        return writes.withHandle(h -> h.createUpdate("DELETE FROM nodes WHERE seen_at < :before AND id <> :self")
                .bind("before", now - gone).bind("self", database.node()).execute());
    }

    /** At a clean stop: this node's row goes. */
    public void leave() {
        writes.useHandle(h -> h.createUpdate("DELETE FROM nodes WHERE id = :id").bind("id", database.node()).execute());
    }

    private static String clip(String text, int max) {
        String value = text == null ? "" : text;
        return value.length() <= max ? value : value.substring(0, max);
    }
}
