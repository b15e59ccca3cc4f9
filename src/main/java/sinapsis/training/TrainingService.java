package sinapsis.training;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.concurrent.DaemonThreads;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.Limits;
import sinapsis.model.InputShape;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * Trains runs fairly on a fixed number of execution slots (one per core by default), never on a
 * web thread.
 * <ul>
 * <li>Admission: a submitted run waits until its owner has fewer than
 *     {@code maxRunningPerStudent} runs admitted (students only); among the runs that may be
 *     admitted, the group (class) admitted longest ago goes first, then the owner within it.</li>
 * <li>Execution: an admitted run trains on its own thread but computes only while it holds a
 *     slot. Slots go to waiting runs first come, first served; a run that has held its slot for a
 *     time slice and sees another run waiting gives it up between two epochs and waits at the back.
 *     So a long run delays a short one queued after it by at most one slice.</li>
 * </ul>
 * A queued run knows its position; a stopped queued run never starts.
 */
public final class TrainingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingService.class);
    /** How long a run computes before it lets a waiting run have its slot. */
    public static final java.time.Duration DEFAULT_SLICE = java.time.Duration.ofMillis(500);

    private final Trainer trainer;
    private final int slots;
    private final long sliceNanos;
    private final Limits limits;
    private final Object lock = new Object();
    /** Submitted, not yet admitted, in submission order. */
    private final LinkedList<Ticket> pending = new LinkedList<>();
    /** Admitted runs waiting for a slot, first come first served (a run that yields goes to the back). */
    private final Deque<Ticket> waiting = new ArrayDeque<>();
    /** Runs each client has queued, waiting or training, for the per-client limit. */
    private final Map<String, Integer> runsByClient = new java.util.HashMap<>();
    private final Map<String, Integer> admittedByOwner = new HashMap<>();
    private final Map<String, Long> lastAdmittedGroup = new HashMap<>();
    private final Map<String, Long> lastAdmittedOwner = new HashMap<>();
    /**
     * Threads for admitted runs, reused: a fresh thread would set up ND4J's per-thread state again
     * for every run, which shows on short runs.
     */
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool(
            DaemonThreads.named("trainer-run"));
    private int freeSlots;
    /** Slots a grid search's fold computes on now. */
    private int foldsComputing;
    private long admissions;
    /** Told on the run's thread each time a run has ended and freed what it held. */
    private volatile Runnable afterEachRun = () -> { };
    private double meanRunSeconds = 1;
    private boolean closed;

    /** A run with its owner and its place in the scheduler. */
    private static final class Ticket {
        final TrainingRun run;
        final RunOwner owner;
        /** Who asked for the run (a student, an address), for the per-client limit; null for a search's folds. */
        String client;
        /** A grid search's fold: see {@link #slotsASearchShares}. */
        boolean searchFold;
        /** No longer counted against its client. */
        boolean forgotten;
        boolean started;
        /** Stopped before it ever had a slot: its thread leaves without training. */
        boolean cancelled;
        long sliceStart;
        /** When a paced run's next epoch may start (System.nanoTime); 0 before its first. */
        long nextEpochDue;

        Ticket(TrainingRun run, RunOwner owner) {
            this.run = run;
            this.owner = owner;
        }
    }

    public TrainingService(Trainer trainer, int slots) {
        this(trainer, slots, DEFAULT_SLICE, Limits.defaults());
    }

    public TrainingService(Trainer trainer, int slots, java.time.Duration slice, Limits limits) {
        if (slots < 1) {
            throw new IllegalArgumentException("workers must be at least 1, found " + slots);
        }
        this.trainer = trainer;
        this.slots = slots;
        this.freeSlots = slots;
        this.sliceNanos = slice.toNanos();
        this.limits = limits;
    }

    /**
     * Whether a run submitted now would compute at once: a slot free and no run here that has not
     * started yet (pending admission, or admitted and waiting for its first slot).
     */
    public boolean hasIdleSlot() {
        synchronized (lock) {
            if (closed || freeSlots == 0 || !pending.isEmpty()) {
                return false;
            }
            for (Ticket ticket : waiting) {
                if (!ticket.started) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * How many more runs this node could take from the cluster's queue although no slot is free:
     * one for each slot a grid search's fold computes on, less the runs here that wait for their
     * first slot. A fold, as any run here, leaves its slot to a waiting run at the end of its
     * slice, so a run taken so waits about a slice; a search thus shares its node with the
     * cluster's queue instead of holding every slot until it ends.
     */
    public int slotsASearchShares() {
        synchronized (lock) {
            if (closed) {
                return 0;
            }
            int notStarted = pending.size();
            for (Ticket ticket : waiting) {
                notStarted += ticket.started ? 0 : 1;
            }
            return Math.max(0, foldsComputing - notStarted);
        }
    }

    public int workerCount() {
        return slots;
    }

    public BackendInfo backend() {
        return trainer.backend();
    }

    /** The trained model from stored parameters. */
    public TrainedModel restore(NetworkSpec network, TrainingSpec training, InputShape input,
                                List<LayerWeights> weights) {
        return trainer.restore(network, training, input, weights);
    }

    /** The model as it stood at a checkpoint (of a run another node trains); null when the trainer leaves none. */
    public TrainedModel restore(NetworkSpec network, InputShape input, Checkpoint checkpoint) {
        return trainer.restore(network, input, checkpoint);
    }

    /**
     * Gradient descent step by step (see {@link Trainer#step}). Runs on the caller's thread: the
     * caller keeps it small (a few dozen parameters, a bounded number of steps).
     */
    public GradientStep step(TrainingJob job, int step) {
        return trainer.step(job, step);
    }

    /** Writes a trained network in the backend's own file format. */
    public void writeModel(NetworkSpec network, TrainingSpec settings, int inputs, List<LayerWeights> weights,
                           OutputStream out) throws IOException {
        trainer.writeModel(network, settings, inputs, weights, out);
    }

    public TrainingRun submit(Experiment experiment) {
        return submit(experiment, RunOwner.alone());
    }

    /** Queues a grid search's fold (see {@link #slotsASearchShares}): a run on its own, counted for no client. */
    public TrainingRun submitSearchFold(Experiment experiment) {
        return submit(new TrainingRun(experiment), RunOwner.alone(), null, true);
    }

    /** Queues a run for its owner; refused (naming the limit) when the queue or the student's share is full. */
    public TrainingRun submit(Experiment experiment, RunOwner owner) {
        return submit(experiment, owner, null);
    }

    /**
     * Refuses, naming the limit, when {@code client} already has as many runs training or waiting
     * as one client may; a session is checked before it is stored, so a refused one leaves nothing.
     */
    public void checkRoomFor(String client) {
        if (client == null) {
            return;
        }
        synchronized (lock) {
            if (runsByClient.getOrDefault(client, 0) >= limits.maxRunsPerClient()) {
                throw new InvalidSpecException("", "error.runsPerClient", limits.maxRunsPerClient());
            }
        }
    }

    /** As {@link #submit(Experiment, RunOwner)}, counted against {@code client}'s runs (see {@link #checkRoomFor}). */
    public TrainingRun submit(Experiment experiment, RunOwner owner, String client) {
        return submit(new TrainingRun(experiment), owner, client);
    }

    /** As {@link #submit(Experiment, RunOwner, String)}, a run made (checkpointing, resuming) by the caller. */
    public TrainingRun submit(TrainingRun run, RunOwner owner, String client) {
        return submit(run, owner, client, false);
    }

    private TrainingRun submit(TrainingRun run, RunOwner owner, String client, boolean searchFold) {
        if (run.status() != RunStatus.QUEUED) {
            throw new IllegalArgumentException("only a new run is submitted, not one " + run.status());
        }
        Ticket ticket = new Ticket(run, owner);
        ticket.client = client;
        ticket.searchFold = searchFold;
        synchronized (lock) {
            checkRoomFor(client);
            if (closed) {
                throw new IllegalStateException("the training service is closed");
            }
            if (waitingToStart() >= limits.maxQueued()) {
                throw new InvalidSpecException("", "error.queueFull", limits.maxQueued());
            }
            if (owner.isStudent() && waitingToStart(owner) >= limits.maxQueuedPerStudent()) {
                throw new InvalidSpecException("", "error.queuedPerStudent", limits.maxQueuedPerStudent());
            }
            pending.addLast(ticket);
            if (client != null) {
                runsByClient.merge(client, 1, Integer::sum);
            }
            admit();
        }
        return run;
    }

    /** 1 for the next run to start, 2 for the one after, …; 0 when the run is not waiting to start. */
    public int queuePosition(TrainingRun run) {
        synchronized (lock) {
            int position = 0;
            for (Ticket ticket : waiting) {
                if (!ticket.started) {
                    position++;
                    if (ticket.run == run) {
                        return position;
                    }
                }
            }
            for (Ticket ticket : pending) {
                position++;
                if (ticket.run == run) {
                    return position;
                }
            }
            return 0;
        }
    }

    /** About how long a queued run will wait, in seconds, from recent runs' durations; 0 when it is not waiting. */
    public long estimatedWaitSeconds(TrainingRun run) {
        int position = queuePosition(run);
        synchronized (lock) {
            return position == 0 ? 0 : Math.round(Math.ceil(position * meanRunSeconds / slots));
        }
    }

    /** Stops a run: a queued one never starts, a running one ends after its current epoch. */
    public void stop(TrainingRun run) {
        run.requestStop();
        boolean removed = false;
        synchronized (lock) {
            for (Ticket ticket : pending) {
                if (ticket.run == run) {
                    forget(ticket); // it never gets a thread
                }
            }
            removed = pending.removeIf(t -> t.run == run);
            for (Ticket ticket : waiting) {
                if (ticket.run == run && !ticket.started) {
                    ticket.cancelled = true;
                    removed = true;
                }
            }
            waiting.removeIf(t -> t.cancelled);
            lock.notifyAll(); // a run parked for its slot looks at its stop flag
        }
        if (removed) {
            run.execute(trainer); // never started: it ends as stopped, now
        }
    }

    private int waitingToStart() {
        int count = pending.size();
        for (Ticket ticket : waiting) {
            count += ticket.started ? 0 : 1;
        }
        return count;
    }

    private int waitingToStart(RunOwner owner) {
        int count = 0;
        for (Ticket ticket : pending) {
            count += ticket.owner.equals(owner) ? 1 : 0;
        }
        for (Ticket ticket : waiting) {
            count += !ticket.started && ticket.owner.equals(owner) ? 1 : 0;
        }
        return count;
    }

    /** Admits every pending run that may go: round-robin over groups, then owners. Holds the lock. */
    private void admit() {
        while (!closed) {
            Ticket next = null;
            for (Ticket candidate : pending) {
                if (candidate.owner.isStudent()
                        && admittedByOwner.getOrDefault(key(candidate.owner), 0) >= limits.maxRunningPerStudent()) {
                    continue;
                }
                if (next == null || before(candidate, next)) {
                    next = candidate;
                }
            }
            if (next == null) {
                return;
            }
            pending.remove(next);
            admittedByOwner.merge(key(next.owner), 1, Integer::sum);
            lastAdmittedGroup.put(next.owner.group(), ++admissions);
            lastAdmittedOwner.put(key(next.owner), admissions);
            waiting.addLast(next);
            Ticket admitted = next;
            threads.execute(() -> train(admitted));
        }
    }

    /** Whether {@code a} should be admitted before {@code b}: its group, then its owner, waited longer. */
    private boolean before(Ticket a, Ticket b) {
        long groupA = lastAdmittedGroup.getOrDefault(a.owner.group(), 0L);
        long groupB = lastAdmittedGroup.getOrDefault(b.owner.group(), 0L);
        if (groupA != groupB) {
            return groupA < groupB;
        }
        long ownerA = lastAdmittedOwner.getOrDefault(key(a.owner), 0L);
        long ownerB = lastAdmittedOwner.getOrDefault(key(b.owner), 0L);
        return ownerA < ownerB; // equal: submission order (the earlier one was seen first)
    }

    private static String key(RunOwner owner) {
        return owner.group() + "/" + owner.id();
    }

    /** A run's own thread: waits for a slot, trains (yielding between epochs when its slice is up), leaves. */
    private void train(Ticket ticket) {
        long start = System.nanoTime();
        try {
            if (acquire(ticket)) {
                ticket.run.scheduling(new TrainingRun.Scheduling() {
                    @Override
                    public void mayYield() {
                        yieldIfOthersWait(ticket);
                    }

                    @Override
                    public void afterEpoch() {
                        holdOrPace(ticket);
                    }
                });
                ticket.run.execute(trainer);
            } else if (!ticket.cancelled) {
                ticket.run.execute(trainer); // closed while waiting: ends as stopped
            }
        } catch (RuntimeException e) {
            LOG.error("unexpected error in a training run", e);
        } finally {
            synchronized (lock) {
                if (ticket.started) {
                    giveSlot(ticket);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    meanRunSeconds = 0.8 * meanRunSeconds + 0.2 * seconds;
                }
                waiting.remove(ticket);
                forget(ticket);
                admittedByOwner.computeIfPresent(key(ticket.owner), (k, n) -> n > 1 ? n - 1 : null);
                admit();
                lock.notifyAll();
            }
            try {
                afterEachRun.run();
            } catch (RuntimeException e) {
                LOG.warn("the action after a run's end failed", e);
            }
        }
    }

    /**
     * What to do each time a run ends, once its slot is free (a worker claims the next run that
     * waits in the store at once, rather than at its next round). Runs on the ended run's thread.
     */
    public void afterEachRun(Runnable action) {
        afterEachRun = java.util.Objects.requireNonNull(action, "action");
    }

    /** The run no longer counts against its client. Holds the lock. */
    private void forget(Ticket ticket) {
        if (ticket.client != null && !ticket.forgotten) {
            ticket.forgotten = true;
            runsByClient.computeIfPresent(ticket.client, (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** Waits until this run is first in line and a slot is free; false if it was stopped meanwhile. */
    private boolean acquire(Ticket ticket) {
        synchronized (lock) {
            while (!closed && !ticket.cancelled && !ticket.run.shouldStop()
                    && (freeSlots == 0 || firstWaiting() != ticket)) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            if (closed || ticket.cancelled || ticket.run.shouldStop()) {
                if (!ticket.started) {
                    waiting.remove(ticket);
                }
                lock.notifyAll();
                return false;
            }
            waiting.remove(ticket);
            takeSlot(ticket);
            ticket.started = true;
            ticket.sliceStart = System.nanoTime();
            lock.notifyAll();
            return true;
        }
    }

    /** The run starts computing on a slot. Holds the lock. */
    private void takeSlot(Ticket ticket) {
        freeSlots--;
        foldsComputing += ticket.searchFold ? 1 : 0;
    }

    /** The run stops computing and leaves its slot. Holds the lock. */
    private void giveSlot(Ticket ticket) {
        freeSlots++;
        foldsComputing -= ticket.searchFold ? 1 : 0;
    }

    private Ticket firstWaiting() {
        return waiting.peekFirst();
    }

    /** Pauses the run after the epoch under way (a queued run pauses after its first epoch). */
    public void pause(TrainingRun run) {
        synchronized (lock) {
            run.requestPause();
            lock.notifyAll();
        }
    }

    /** A paused run goes on. */
    public void resume(TrainingRun run) {
        synchronized (lock) {
            run.requestResume();
            lock.notifyAll();
        }
    }

    /** A paused run trains one more epoch and pauses again; a running one pauses after its epoch. */
    public void step(TrainingRun run) {
        synchronized (lock) {
            run.requestStep();
            lock.notifyAll();
        }
    }

    /**
     * After an epoch: a paused run waits without its slot until resumed, stepped or stopped; a paced
     * run waits (without its slot) until its next epoch is due.
     */
    private void holdOrPace(Ticket ticket) {
        TrainingRun run = ticket.run;
        if (run.holdsAfterEpoch()) {
            run.markPaused();
            waitWithoutSlot(ticket, () -> !run.holdsAfterEpoch(), 0);
            run.leavePause();
            ticket.nextEpochDue = 0; // the pace starts over from here
            return;
        }
        double pace = run.experiment().training().pace();
        if (pace > 0) {
            long interval = (long) (1e9 / pace);
            long now = System.nanoTime();
            // one epoch every interval, on a fixed beat; a run that fell behind (a slow epoch) does not rush to catch up
            long due = Math.max(now, (ticket.nextEpochDue == 0 ? now : ticket.nextEpochDue) + interval);
            ticket.nextEpochDue = due;
            if (due - now > 200_000) {
                waitWithoutSlot(ticket, () -> System.nanoTime() >= due, due);
            }
        }
        // the slice rule was applied when the epoch was recorded (mayYield)
    }

    /**
     * Gives the slot up, waits until {@code goOn} holds (or, with a deadline, it passes; or the run
     * is stopped or the service closed), then queues for a slot again. Called on the run's thread.
     */
    private void waitWithoutSlot(Ticket ticket, java.util.function.BooleanSupplier goOn, long deadlineNanos) {
        synchronized (lock) {
            giveSlot(ticket);
            lock.notifyAll();
            while (!closed && !ticket.run.shouldStop() && !goOn.getAsBoolean()) {
                try {
                    long left = deadlineNanos == 0 ? 0 : deadlineNanos - System.nanoTime();
                    if (deadlineNanos != 0 && left <= 0) {
                        break;
                    }
                    lock.wait(deadlineNanos == 0 ? 0 : Math.max(1, left / 1_000_000), 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            waiting.addLast(ticket);
            lock.notifyAll();
            awaitSlot(ticket);
        }
    }

    /** Holding the lock, in the waiting line: until first in line with a slot free (or stopped, or closed); takes it. */
    private void awaitSlot(Ticket ticket) {
        while (!closed && !ticket.run.shouldStop() && (freeSlots == 0 || firstWaiting() != ticket)) {
            try {
                lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // resumes even when stopped or closed, so the run can end itself and record its result
        waiting.remove(ticket);
        takeSlot(ticket);
        ticket.sliceStart = System.nanoTime();
        lock.notifyAll();
    }

    /** Between epochs: after a slice, if a run waits for a slot, give ours up and queue at the back. */
    private void yieldIfOthersWait(Ticket ticket) {
        if (System.nanoTime() - ticket.sliceStart < sliceNanos) {
            return;
        }
        synchronized (lock) {
            if (waiting.isEmpty()) {
                ticket.sliceStart = System.nanoTime();
                return;
            }
            giveSlot(ticket);
            waiting.addLast(ticket);
            lock.notifyAll();
            awaitSlot(ticket);
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            pending.forEach(t -> t.run.requestStop());
            waiting.forEach(t -> t.run.requestStop());
            lock.notifyAll();
        }
        threads.shutdown();
    }
}
