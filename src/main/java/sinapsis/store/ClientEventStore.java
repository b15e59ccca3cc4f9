package sinapsis.store;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.data.Hashes;
import sinapsis.throttle.RecentEvents;

/**
 * {@link RecentEvents} of one kind in the database the nodes share ({@code client_events}), so that a
 * client's limits are counted over the whole cluster: one statement an event or a reading. Clients
 * are stored hashed. Rows older than the window are deleted at most every quarter of it, by the
 * node that records next. A database that fails does not turn a request into an error: the limit
 * lets it through (logged once until it works again), as the rest of the request then finds out.
 */
public final class ClientEventStore implements RecentEvents {
    private static final Logger LOG = LoggerFactory.getLogger(ClientEventStore.class);
    private final String kind;
    private final Duration window;
    private final long windowMillis;
    private final Jdbi reads;
    private final Jdbi writes;
    private volatile long sweptAt;
    private volatile boolean failing;

    /** {@code kind}: what is counted ("created", "join-failed"), at most 16 characters. */
    public ClientEventStore(Database database, String kind, Duration window) {
        if (kind == null || kind.isEmpty() || kind.length() > 16) {
            throw new IllegalArgumentException("client events: kind must be 1 to 16 characters, found " + kind);
        }
        this.kind = kind;
        this.window = RecentEvents.checkedWindow(window);
        this.windowMillis = window.toMillis();
        this.reads = database.reader();
        this.writes = database.writer();
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public boolean recordUnlessFull(String client, long now, int limit) {
        sweepIfDue(now);
        return failOpen(() -> writes.withHandle(h -> h.createUpdate("""
                        INSERT INTO client_events (kind, client, at) SELECT :kind, :client, :now
                        WHERE (SELECT COUNT(*) FROM client_events
                               WHERE kind = :kind AND client = :client AND at > :since) < :limit""")
                .bind("kind", kind).bind("client", hashed(client)).bind("now", now)
                .bind("since", now - windowMillis).bind("limit", limit).execute()) == 1, true);
    }

    @Override
    public void record(String client, long now) {
        sweepIfDue(now);
        failOpen(() -> writes.withHandle(h -> h.createUpdate(
                        "INSERT INTO client_events (kind, client, at) VALUES (:kind, :client, :now)")
                .bind("kind", kind).bind("client", hashed(client)).bind("now", now).execute()), 0);
    }

    @Override
    public List<Long> within(String client, long now) {
        return failOpen(() -> reads.withHandle(h -> h.createQuery("""
                        SELECT at FROM client_events WHERE kind = :kind AND client = :client AND at > :since
                        ORDER BY at""")
                .bind("kind", kind).bind("client", hashed(client)).bind("since", now - windowMillis)
                .mapTo(Long.class).list()), List.of());
    }

    /** Deletes the rows of this kind that left the window, at most every quarter of it on this node. */
    private void sweepIfDue(long now) {
        if (now - sweptAt < windowMillis / 4) {
            return;
        }
        sweptAt = now;
        failOpen(() -> writes.withHandle(h -> h.createUpdate("DELETE FROM client_events WHERE kind = :kind AND at <= :cutoff")
                .bind("kind", kind).bind("cutoff", now - windowMillis).execute()), 0);
    }

    private <T> T failOpen(Supplier<T> query, T otherwise) {
        try {
            T answer = query.get();
            if (failing) {
                LOG.info("counting clients' {} events in the database works again", kind);
                failing = false;
            }
            return answer;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("counting clients' {} events in the database failed (not limited meanwhile): {}", kind,
                        e.toString());
                failing = true;
            }
            return otherwise;
        }
    }

    /** A client's address as stored: its SHA-256. */
    private static String hashed(String client) {
        return Hashes.sha256(client == null ? "" : client);
    }
}
