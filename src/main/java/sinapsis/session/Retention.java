package sinapsis.session;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.concurrent.DaemonThreads;
import sinapsis.store.Database;

/**
 * The retention policy ({@code SINAPSIS_RETENTION_DAYS}, off by default): once at start-up and then
 * every hour, sessions that nobody opened for that many days are deleted, in batches, and the space
 * they took is given back to the file system (SQLite) or made reusable (PostgreSQL).
 */
public final class Retention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private static final int BATCH = 200;
    static final Duration EVERY = Duration.ofHours(1);

    private final SessionService sessions;
    private final Database database;
    private final Duration keep;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("retention"));

    /** @param days sessions not opened for this many days are deleted; must be at least 1 */
    public Retention(SessionService sessions, Database database, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("SINAPSIS_RETENTION_DAYS must be at least 1, found " + days);
        }
        this.sessions = sessions;
        this.database = database;
        this.keep = Duration.ofDays(days);
    }

    public Retention start() {
        timer.scheduleWithFixedDelay(this::sweepLogged, 0, EVERY.toMinutes(), TimeUnit.MINUTES);
        return this;
    }

    /** What one sweep did. */
    public record Swept(int deleted, long bytesBefore, long bytesAfter) {
    }

    /** Deletes every session not opened within the retention period before {@code now}, then reclaims space. */
    public Swept sweep(long now) {
        long before = database.sizeOnDisk();
        long cutoff = now - keep.toMillis();
        int deleted = 0;
        int batch;
        do {
            batch = sessions.deleteNotOpenedSince(cutoff, BATCH);
            deleted += batch;
        } while (batch == BATCH);
        if (deleted > 0) {
            database.reclaimSpace();
        }
        return new Swept(deleted, before, database.sizeOnDisk());
    }

    private void sweepLogged() {
        try {
            Swept swept = sweep(System.currentTimeMillis());
            if (swept.deleted() > 0) {
                LOG.info("retention: deleted {} session(s) not opened for {} days; database {} MB -> {} MB",
                        swept.deleted(), keep.toDays(), swept.bytesBefore() >> 20, swept.bytesAfter() >> 20);
            }
        } catch (RuntimeException e) {
            LOG.error("retention sweep failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
