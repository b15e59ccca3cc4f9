package sinapsis.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.store.SessionStore;
import sinapsis.training.EpochEvent;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingRun;
import sinapsis.training.TrainingRun.Ending;

/**
 * Writes running sessions to the store in small batches: every {@code interval}, each tracked
 * run's new epochs and, when it changed, its status (and, once over, its result), in one
 * transaction per session. Training never waits for the database; a crash loses at most one
 * interval of history; a run that ends is written within {@value #ENDED_CHECK_MILLIS} ms. A run that is
 * over and fully written is handed to {@code onSettled}.
 */
final class RunRecorder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);
    private static final long ENDED_CHECK_MILLIS = 50;

    private final SessionStore store;
    private final Consumer<Session> onSettled;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "history-recorder");
        thread.setDaemon(true);
        return thread;
    });

    /** A run being written: how far its history is stored, and the status stored for it. */
    private static final class Tracked {
        final Session session;
        final TrainingRun run;
        long writtenSeq;
        RunStatus storedStatus;

        Tracked(Session session, TrainingRun run, RunStatus storedStatus) {
            this.session = session;
            this.run = run;
            this.storedStatus = storedStatus;
        }
    }

    RunRecorder(SessionStore store, Duration interval, Consumer<Session> onSettled) {
        this.store = store;
        this.onSettled = onSettled;
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::flushAll, millis, millis, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::flushEnded, ENDED_CHECK_MILLIS, ENDED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Writes runs that have just ended without waiting for the next interval, so that a finished
     * run's result is on disk within about {@value #ENDED_CHECK_MILLIS} ms of its end.
     */
    synchronized void flushEnded() {
        for (Tracked entry : new ArrayList<>(tracked.values())) {
            if (entry.run.status().isOver()) {
                try {
                    flush(entry);
                } catch (RuntimeException e) {
                    LOG.warn("could not store the end of session {}: {}", entry.session.id(), e.getMessage());
                }
            }
        }
    }

    synchronized void track(Session session, TrainingRun run, RunStatus storedStatus) {
        tracked.put(session.id(), new Tracked(session, run, storedStatus));
    }

    synchronized void untrack(Session session) {
        tracked.remove(session.id());
    }

    /** Writes what this session's run has not written yet, now. */
    synchronized void flush(Session session) {
        Tracked entry = tracked.get(session.id());
        if (entry != null) {
            flush(entry);
        }
    }

    synchronized void flushAll() {
        for (Tracked entry : new ArrayList<>(tracked.values())) {
            try {
                flush(entry);
            } catch (RuntimeException e) {
                // the database may be back next time; the history is still in memory
                LOG.warn("could not store the history of session {}: {}", entry.session.id(), e.getMessage());
            }
        }
    }

    private void flush(Tracked entry) {
        Ending ending = entry.run.ending(); // the status first: a run that is over has all its events
        List<EpochEvent> events = entry.run.eventsSince(entry.writtenSeq);
        boolean statusChanged = ending.status() != entry.storedStatus;
        if (events.isEmpty() && !statusChanged) {
            return;
        }
        boolean over = ending.status().isOver();
        store.record(entry.session.id(), events, statusChanged ? ending : null,
                statusChanged && over ? entry.run.result() : null);
        if (!events.isEmpty()) {
            entry.writtenSeq = events.get(events.size() - 1).seq();
        }
        entry.storedStatus = ending.status();
        if (over) {
            tracked.remove(entry.session.id());
            onSettled.accept(entry.session);
        }
    }

    /** Stops the timer after writing everything that is pending. */
    @Override
    public void close() {
        timer.shutdown();
        flushAll();
    }
}
