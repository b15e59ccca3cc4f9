package sinapsis.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.concurrent.DaemonThreads;
import sinapsis.store.SessionStore;
import sinapsis.training.Checkpoint;
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
    private static final long SLOW_WRITE_MILLIS = 250;

    private final SessionStore store;
    private final Settled onSettled;
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("history-recorder"));

    /** A run being written: how far its history is stored, and the status stored for it. */
    private static final class Tracked {
        final Session session;
        final TrainingRun run;
        long writtenSeq;
        RunStatus storedStatus;
        /** The epoch of the checkpoint stored for it (0: none). */
        int storedCheckpoint;

        /**
         * A run with nothing of its own stored yet: a resumed run's history up to its checkpoint is
         * (not whatever it trained since: it may be training already).
         */
        Tracked(Session session, TrainingRun run, RunStatus storedStatus) {
            this.session = session;
            this.run = run;
            this.storedStatus = storedStatus;
            this.writtenSeq = run.resumedSeq();
            this.storedCheckpoint = run.resumedAfter();
        }
    }

    /** Told of each run once it is over and fully stored. */
    @FunctionalInterface
    interface Settled {
        /** {@code onAChallenge}: its session's row names a challenge (an attempt of it may be scored). */
        void settled(Session session, boolean onAChallenge);
    }

    RunRecorder(SessionStore store, Duration interval, Settled onSettled) {
        this.store = store;
        this.onSettled = onSettled;
        long millis = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(this::flushAll, millis, millis, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::flushEnded, ENDED_CHECK_MILLIS, ENDED_CHECK_MILLIS, TimeUnit.MILLISECONDS);
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
            write(List.of(entry));
        }
    }

    synchronized void flushAll() {
        write(new ArrayList<>(tracked.values()));
    }

    /**
     * Writes runs that have just ended without waiting for the next interval, so that a finished
     * run's result is on disk within about {@value #ENDED_CHECK_MILLIS} ms of its end.
     */
    synchronized void flushEnded() {
        write(tracked.values().stream().filter(entry -> entry.run.status().isOver()).toList());
    }

    /** Writes what these runs have not written yet, in one transaction; on failure, tries again next time. */
    private void write(List<Tracked> entries) {
        List<Pending> pending = new ArrayList<>();
        for (Tracked entry : entries) {
            // read before the events: its epoch is among them, or among those written before
            Checkpoint checkpoint = entry.run.checkpoint();
            Ending ending = entry.run.ending(); // the status first: a run that is over has all its events
            List<EpochEvent> events = entry.run.eventsSince(entry.writtenSeq);
            boolean statusChanged = ending.status() != entry.storedStatus;
            boolean over = ending.status().isOver();
            Checkpoint newCheckpoint = checkpoint != null && checkpoint.epoch() > entry.storedCheckpoint && !over
                    ? checkpoint : null;
            if (!events.isEmpty() || statusChanged || newCheckpoint != null) {
                pending.add(new Pending(entry, ending, events, newCheckpoint, new SessionStore.RunWrite(
                        entry.session.id(), events, statusChanged ? ending : null,
                        statusChanged && over ? entry.run.result() : null, newCheckpoint)));
            }
        }
        if (pending.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        java.util.Set<String> endedOnChallenges;
        try {
            endedOnChallenges = store.recordAll(pending.stream().map(Pending::write).toList());
        } catch (RuntimeException e) {
            // the database may be back next time; the history is still in memory
            LOG.warn("could not store the history of {} session(s): {}", pending.size(), e.getMessage());
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (millis > SLOW_WRITE_MILLIS) {
            LOG.warn("storing the history of {} session(s) took {} ms", pending.size(), millis);
        }
        for (Pending p : pending) {
            if (!p.events.isEmpty()) {
                p.entry.writtenSeq = p.events.get(p.events.size() - 1).seq();
            }
            p.entry.storedStatus = p.ending.status();
            if (p.checkpoint != null) {
                p.entry.storedCheckpoint = p.checkpoint.epoch();
            }
            if (p.ending.status().isOver()) {
                tracked.remove(p.entry.session.id());
                onSettled.settled(p.entry.session, endedOnChallenges.contains(p.entry.session.id()));
            }
        }
    }

    /** One run's write, with what it records. */
    private record Pending(Tracked entry, Ending ending, List<EpochEvent> events, Checkpoint checkpoint,
                           SessionStore.RunWrite write) {
    }

    /** Stops the timer after writing everything that is pending. */
    @Override
    public void close() {
        timer.shutdown();
        flushAll();
    }
}
