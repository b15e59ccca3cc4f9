package sinapsis.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.concurrent.DaemonThreads;
import sinapsis.store.SessionStore;
import sinapsis.store.SessionStore.RunState;
import sinapsis.training.EpochEvent;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingRun;

/**
 * On a database that other nodes share: keeps the sessions this node shows but another node
 * trains up to date from the store — their new epochs, status and, at the end, result and model
 * — so their viewers here watch them live (the epochs of a run nobody here reads are left in the
 * store until someone does); notices a session shown here that another node has started again;
 * carries out the owner actions (stop, pause, resume, step, delete) that other nodes asked for the
 * runs this node trains; and, on a node that trains, claims runs that wait in the store for a
 * worker whenever it has a slot idle (and at once when one of its runs ends). A round runs as soon
 * as another node notifies (PostgreSQL's {@code NOTIFY}: new epochs, a run ending or waiting, an
 * action asked; rounds at least {@link #GAP} apart: the state of the followed runs not over yet),
 * and every {@link #EVERY} anyway: one query for the state of every session shown that someone
 * asked about lately and of every followed run going on (a session left idle is brought up to date
 * when next used), one for each that has new epochs someone reads, one for the actions asked (on a
 * node that trains something; in a round a notification asked, only when another node asked for
 * one), and one to claim.
 */
final class RunFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunFollower.class);
    /** The poll, for what no node notifies (a node gone) and while notifications cannot be heard. */
    static final Duration EVERY = Duration.ofMillis(500);
    /** The least time between two rounds asked by notifications: a burst of them makes one round. */
    static final Duration GAP = Duration.ofMillis(100);
    /** A followed run whose history nobody read for this long gets only its status from the store. */
    static final long UNREAD_NANOS = Duration.ofSeconds(2).toNanos();
    /**
     * A session shown here that nobody has asked about or read for this long, and that is not a
     * followed run going on, is left out of the regular round; it is brought up to date when it is
     * next used ({@link #refreshIfIdle}). A viewer reads its session ten times a second.
     */
    static final long IDLE_NANOS = Duration.ofSeconds(10).toNanos();

    /** What the follower needs of the session service. */
    interface Sessions {
        /** Claims runs that wait in the store for a worker while this node has a slot idle, and trains them. */
        void claimWhileIdle();

        /**
         * Gives the cluster's queue a worker back when runs have waited for one: a slot a grid
         * search's fold computes on takes one of them (the fold gives way at the end of its slice),
         * else the run that has computed here longest, once past a slice, leaves at its next epoch's
         * checkpoint; runs that have left are queued again in the store.
         */
        void shareWorkers();

        /**
         * Whether it shows a run another node trains, not over, that someone reads or asks about
         * now (so others' writes concern it at once; the poll keeps the others' status).
         */
        boolean followsRuns();

        /** The sessions held in memory that this node does not train (followed ones and cached ones). */
        List<Session> shownNotTrained();

        /** The session this node trains, or null. */
        Session trainedHere(String id);

        /** Whether this node trains any run now (a web node never does: no owner action can be for it). */
        boolean trainsAny();

        /** The session as the store has it now, its run replaced (its viewers start over). */
        void reload(Session session);

        /**
         * A followed run is over: its last epochs (those fetched for its readers here), how many its
         * store has, its ending; its result and model read when someone first asks.
         */
        void finishFollowed(Session session, List<EpochEvent> newer, long storedSeq, TrainingRun.Ending ending);

        /** A followed run has a newer checkpoint than the model shown: its live views and predictions take it. */
        void modelFromCheckpoint(Session session);

        /** Deleted on another node. */
        void deletedElsewhere(Session session);

        /** An owner action another node asked for a run trained here. */
        void apply(Session session, String action);
    }

    private final SessionStore store;
    private final Sessions sessions;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("run-follower"));

    private final java.util.concurrent.atomic.AtomicBoolean roundAsked = new java.util.concurrent.atomic.AtomicBoolean();
    /**
     * Whether another node has asked for an owner action since this node last took them: a round a
     * notification asked takes them only then (the regular round always does).
     */
    private final java.util.concurrent.atomic.AtomicBoolean controlsAsked = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile long lastRoundNanos = System.nanoTime();
    private volatile sinapsis.store.NodeNotifications notifications;

    /** Whether the last round failed (only the ticker's thread reads and writes it). */
    private boolean failing;

    RunFollower(SessionStore store, Sessions sessions) {
        this.store = store;
        this.sessions = sessions;
    }

    RunFollower start() {
        ticker.scheduleWithFixedDelay(() -> tick(true), EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        notifications = store.listen(this::heard);
        return this;
    }

    /**
     * Another node wrote: a round if it concerns this node (work to take or an action asked, on a
     * node that trains; runs it follows). A web node hears its own notice of each run it stores for
     * a worker: nothing for it to do.
     */
    private void heard(List<sinapsis.store.NodeNotifications.Kind> kinds) {
        boolean controls = kinds.contains(sinapsis.store.NodeNotifications.Kind.CONTROL) && store.trainsHere();
        if (controls) {
            controlsAsked.set(true);
        }
        if (kinds.contains(sinapsis.store.NodeNotifications.Kind.WORK) && store.trainsHere()) {
            // a run waits: a slot idle here takes it now, not after the gap (a node that has just
            // claimed the first of a class's runs would leave the second waiting 100 ms for the
            // next round); with no slot idle this asks nothing of the store
            claimNow();
        }
        if (kinds.contains(sinapsis.store.NodeNotifications.Kind.ENDED) && sessions.followsRuns()) {
            roundNow(); // a run's end happens once, not in bursts: its viewers need not wait for the gap
        } else if (controls || kinds.contains(sinapsis.store.NodeNotifications.Kind.WORK) && store.trainsHere()
                || sessions.followsRuns()) {
            soon();
        }
    }

    /** A round of the followed runs at once, besides any asked with {@link #soon()}. */
    private void roundNow() {
        try {
            ticker.execute(() -> tick(false));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: no more rounds
        }
    }

    /**
     * A round soon, besides the regular ones (another node notified; a run ended here, so its slot
     * may take a waiting run): at once, or {@link #GAP} after the last round; one for many asks.
     */
    void soon() {
        if (!roundAsked.compareAndSet(false, true)) {
            return; // one is coming
        }
        long wait = Math.max(0, lastRoundNanos + GAP.toNanos() - System.nanoTime());
        try {
            ticker.schedule(() -> {
                roundAsked.set(false);
                tick(false);
            }, wait, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            roundAsked.set(false); // closing: no more rounds
        }
    }

    /**
     * A slot of this node has just become free: a claim at once, without the rest of a round and
     * without waiting for {@link #GAP} (a run's end happens once, not in bursts).
     */
    void claimNow() {
        try {
            ticker.execute(() -> {
                try {
                    sessions.claimWhileIdle();
                } catch (RuntimeException e) {
                    LOG.debug("claiming after a run's end failed (the next round tries again): {}", e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing: nothing more to claim
        }
    }

    /**
     * One round; a failure (the database briefly away) is logged and the next round tries again.
     * {@code everyShown}: the state of every session shown here (the regular round, which notices
     * one deleted or started again elsewhere); else only of the followed runs not over yet (a round
     * a notification asked: its new epochs and ends concern those, and a web node may show hundreds
     * of sessions that are over).
     */
    void tick(boolean everyShown) {
        lastRoundNanos = System.nanoTime();
        try {
            sessions.shareWorkers();
            sessions.claimWhileIdle();
            followShown(everyShown);
            // the regular round always looks (an action asked by a node of an earlier version, or
            // whose notice was missed); one a notification asked, only when an action was
            boolean takeControls = controlsAsked.getAndSet(false) || everyShown;
            Map<String, List<String>> controls = takeControls && sessions.trainsAny() ? store.takeControls() : Map.of();
            for (Map.Entry<String, List<String>> asked : controls.entrySet()) {
                Session session = sessions.trainedHere(asked.getKey());
                for (String action : session == null ? List.<String>of() : asked.getValue()) {
                    sessions.apply(session, action);
                }
            }
            if (failing) {
                LOG.info("following the runs of other nodes works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) { // said once, not five times a second while the database is away
                LOG.warn("following the runs of other nodes failed (tried again every {} ms): {}", EVERY.toMillis(),
                        e.toString());
                failing = true;
            }
        }
    }

    private void followShown(boolean everyShown) {
        List<Session> shown = sessions.shownNotTrained().stream()
                .filter(s -> everyShown ? !isIdle(s) : s.run().isFollowed() && !s.run().status().isOver()).toList();
        if (shown.isEmpty()) {
            return;
        }
        Map<String, RunState> states = store.runStates(shown.stream().map(Session::id).toList(),
                System.currentTimeMillis());
        for (Session session : shown) {
            bringUpToDate(session, states.get(session.id()));
        }
    }

    /** What the store says of a session shown here ({@code state}: null when its row is gone). */
    private void bringUpToDate(Session session, RunState state) {
        TrainingRun run = session.run();
        if (state == null) {
            sessions.deletedElsewhere(session);
        } else if (run.isFollowed()) {
            follow(session, run, state);
        } else if (startedElsewhere(run, state)) {
            sessions.reload(session);
        }
    }

    /**
     * Whether the regular round leaves it out: nobody asked about it or read it for {@link #IDLE_NANOS}
     * and it is not a run followed from the store while it goes on (those are all kept up to date).
     */
    private static boolean isIdle(Session session) {
        TrainingRun run = session.run();
        return !run.askedWithin(IDLE_NANOS) && !(run.isFollowed() && !run.status().isOver());
    }

    /**
     * Before a session shown here (not trained here) that the rounds have left out is used again:
     * its state read from the store now and acted on as a round would (deleted, started again
     * elsewhere, its end). A failure (the database briefly away) leaves it as it was.
     */
    void refreshIfIdle(Session session) {
        if (!isIdle(session)) {
            return;
        }
        try {
            bringUpToDate(session, store.runStates(List.of(session.id()), System.currentTimeMillis()).get(session.id()));
        } catch (RuntimeException e) {
            LOG.debug("bringing an idle session up to date failed (shown as it was): {}", e.toString());
        }
    }

    private void follow(Session session, TrainingRun run, RunState state) {
        TrainingRun.Ending ending = state.ending();
        boolean restarted = state.epochCount() < run.lastSeq()
                || run.startedAt() != 0 && ending.startedAt() != run.startedAt();
        if (restarted) { // its holder started it again: a new run, a new history
            sessions.reload(session);
            return;
        }
        if (run.status().isOver() && ending.status() == run.status() && ending.finishedAt() == run.finishedAt()) {
            return; // its end is read already (with its result and model): nothing more until it starts again
        }
        // the epochs only while someone reads them, for its viewers here; else the run fetches them
        // when someone first does (a run that ends unread is not fetched at all)
        boolean wanted = run.readWithin(UNREAD_NANOS);
        List<EpochEvent> newer = wanted && state.epochCount() > run.fetchedSeq()
                ? store.historySince(session.id(), run.fetchedSeq()) : List.of();
        if (ending.status().isOver()) {
            sessions.finishFollowed(session, newer, state.epochCount(), ending);
        } else {
            run.follow(newer, state.epochCount(), ending);
            // the epoch of the model shown, asked without counting as a read (run.live() would: a
            // run followed here would then always count as read, its epochs fetched every round)
            if (wanted && state.checkpointEpoch() > run.followedModelEpoch()) {
                sessions.modelFromCheckpoint(session);
            }
        }
    }

    /** A session shown here as over (or a draft) that another node now has queued, running or paused. */
    private static boolean startedElsewhere(TrainingRun run, RunState state) {
        RunStatus stored = state.ending().status();
        return run.status().canStart() && !stored.canStart() && state.heldElsewhere();
    }

    @Override
    public void close() {
        if (notifications != null) {
            notifications.close();
        }
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
