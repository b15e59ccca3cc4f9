package sinapsis.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run's live state, shared by the worker that trains it and everyone watching it: status,
 * the complete epoch history (every event kept, in order), the model as it stands (a copy taken
 * at most {@link #LIVE_EVERY_NANOS} apart, and at every pause), whether its owner paused it, and
 * the result. Thread-safe.
 */
public final class TrainingRun implements TrainingControl {
    /** How often the live views get a copy of the model while it trains: five times a second. */
    public static final long LIVE_EVERY_NANOS = 200_000_000L;

    /**
     * Where the scheduler may take a running run's worker back: after each batch progress and each
     * recorded epoch ({@link #mayYield}), and after an epoch's model copy ({@link #afterEpoch}, where
     * a run pauses or keeps its pace).
     */
    interface Scheduling {
        Scheduling NONE = new Scheduling() {
        };

        default void mayYield() {
        }

        default void afterEpoch() {
        }
    }

    /** The model as it stood after an epoch: which epoch, and a counter that grows with every copy. */
    public record LiveModel(TrainedModel model, int epoch, long version) {
    }

    private final Experiment experiment;
    private final List<EpochEvent> history = new ArrayList<>();
    private volatile RunStatus status = RunStatus.QUEUED;
    private volatile boolean stopRequested;
    private volatile String failure;
    private volatile long startedAt;
    /** When it started computing on this node (System.nanoTime; 0 before): a resumed run's slice counts from here. */
    private volatile long startedHereNanos;
    private volatile long finishedAt;
    private volatile TrainingResult result;
    private volatile TrainedModel model;
    /** A followed run's end: its result and model, read when first asked for ({@link #follow}); or null. */
    private volatile java.util.function.Supplier<Outcome> pendingOutcome;
    private final Object outcomeLock = new Object();
    private volatile boolean diverged;
    private volatile EarlyStop earlyStop;
    private volatile Scheduling scheduling = Scheduling.NONE;
    private volatile BatchProgress progress;
    private volatile LiveModel live;
    private volatile long lastCopyNanos = System.nanoTime() - LIVE_EVERY_NANOS;
    private volatile boolean pauseRequested;
    private volatile int stepsGranted;
    /** Trained by another node: what it shows comes from the store ({@link #follow}). */
    private volatile boolean followed;
    /** How often it leaves a checkpoint (0: never, a node alone has no one to hand it to). */
    private volatile long checkpointEveryNanos;
    private volatile long lastCheckpointNanos = System.nanoTime();
    private volatile Checkpoint checkpoint;
    /** Asked to give its worker back to the cluster's queue: at the end of the epoch under way, a checkpoint, then it leaves. */
    private volatile boolean handBackRequested;
    /** Its last checkpoint is taken for the hand back: it stops before the next batch. */
    private volatile boolean leaving;
    /** It left at its last checkpoint, without a result, for another node (or this one, later) to go on. */
    private volatile boolean handedBack;
    /** Where it starts: after this checkpoint, its history up to it already here; or null. */
    private volatile Checkpoint resumeFrom;
    /** When its history was last read (System.nanoTime): a followed run nobody reads need not be kept up to date. */
    private volatile long lastReadNanos = System.nanoTime();
    /**
     * A followed run's store, which has its epochs up to {@link #storedSeq}: those not fetched here
     * yet are fetched when someone first reads them (null for a run that is not followed).
     */
    private volatile StoredEpochs stored;
    /** How many epochs a followed run's store had at its last news; guarded by this. */
    private long storedSeq;
    /** When someone last asked about it without reading its history (System.nanoTime). */
    private volatile long lastAskedNanos = System.nanoTime();

    public TrainingRun(Experiment experiment) {
        this.experiment = experiment;
    }

    /** A run that will not start until its owner asks: a fork waiting in the editor. */
    public static TrainingRun draft(Experiment experiment) {
        TrainingRun run = new TrainingRun(experiment);
        run.status = RunStatus.DRAFT;
        return run;
    }

    /**
     * What a run claimed here shows until its own run starts: queued, with the epochs it goes on from
     * (none for one that never trained), neither followed nor trained.
     */
    public static TrainingRun aboutToStart(Experiment experiment, long startedAt, List<EpochEvent> history) {
        TrainingRun run = new TrainingRun(experiment);
        run.startedAt = startedAt;
        run.history.addAll(history);
        return run;
    }

    /** A run that is over, as it was stored: its history, result and model (both null if it has none). */
    public static TrainingRun restored(Experiment experiment, Ending ending, List<EpochEvent> history,
                                       TrainingResult result, TrainedModel model) {
        if (!ending.status().isOver()) {
            throw new IllegalArgumentException("a restored run must be over, not " + ending.status());
        }
        TrainingRun run = new TrainingRun(experiment);
        run.status = ending.status();
        run.failure = ending.failure();
        run.startedAt = ending.startedAt();
        run.finishedAt = ending.finishedAt();
        run.history.addAll(history);
        run.result = result;
        run.model = model;
        return run;
    }

    /** Where a followed run's epochs are stored: those after a sequence number, in order. */
    @FunctionalInterface
    public interface StoredEpochs {
        List<EpochEvent> since(long seq);
    }

    /** Long enough ago for any "within" asked of a run's last read: never read. */
    private static final long NEVER_NANOS = Long.MAX_VALUE / 4;

    /**
     * A run another node trains, shown here as the store has it: its history so far and its status,
     * brought up to date by {@link #follow} until it is over; the epochs stored meanwhile that
     * nobody here has read are fetched from {@code stored} when someone first does. Nobody has read
     * it or asked about it yet.
     */
    public static TrainingRun followed(Experiment experiment, Ending now, List<EpochEvent> history,
                                       StoredEpochs stored) {
        TrainingRun run = new TrainingRun(experiment);
        run.followed = true;
        run.stored = stored;
        run.storedSeq = history.size();
        run.lastReadNanos = System.nanoTime() - NEVER_NANOS;
        run.lastAskedNanos = run.lastReadNanos; // nor asked about: until someone does, its node follows it at its own pace
        run.status = now.status();
        run.failure = now.failure();
        run.startedAt = now.startedAt();
        run.finishedAt = now.finishedAt();
        run.history.addAll(history);
        return run;
    }

    /**
     * Leaves a checkpoint after an epoch at most every {@code interval}, for another node to go on
     * from should this one die. Set before the run is submitted.
     */
    public void checkpointEvery(java.time.Duration interval) {
        this.checkpointEveryNanos = interval.toNanos();
    }

    /**
     * Starts after {@code from}'s epoch rather than from the seeded start: {@code before} is the
     * history up to it (sequence numbers 1, 2, … in order, the last at its epoch), which the run
     * shows and goes on from; it keeps the time it first started, {@code startedAt} (epoch ms). Set
     * before the run is submitted.
     */
    public synchronized void resumeFrom(Checkpoint from, List<EpochEvent> before, long firstStartedAt) {
        if (status != RunStatus.QUEUED || !history.isEmpty()) {
            throw new IllegalStateException("only a new run resumes from a checkpoint");
        }
        for (int i = 0; i < before.size(); i++) {
            if (before.get(i).seq() != i + 1) {
                throw new IllegalArgumentException("the history before a checkpoint must be in order, found seq "
                        + before.get(i).seq() + " at " + (i + 1));
            }
        }
        if (before.isEmpty() || before.get(before.size() - 1).epoch() != from.epoch()) {
            throw new IllegalArgumentException("the history before a checkpoint must end at its epoch " + from.epoch());
        }
        history.addAll(before);
        startedAt = firstStartedAt;
        resumeFrom = from;
        checkpoint = from;
    }

    @Override
    public Checkpoint resumeFrom() {
        return resumeFrom;
    }

    /** How many events it had when it started: the history up to its checkpoint (0: it started from the beginning). */
    public long resumedSeq() {
        Checkpoint from = resumeFrom;
        if (from == null) {
            return 0;
        }
        synchronized (this) {
            for (int i = history.size() - 1; i >= 0; i--) {
                if (history.get(i).epoch() == from.epoch()) {
                    return history.get(i).seq();
                }
            }
            throw new IllegalStateException("the history lost its checkpoint's epoch " + from.epoch());
        }
    }

    /** The epoch it resumed after (0: it started from the beginning). */
    public int resumedAfter() {
        Checkpoint from = resumeFrom;
        return from == null ? 0 : from.epoch();
    }

    /** Its latest checkpoint, or null. */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /**
     * After an epoch: on hand back, every checkpoint interval, and (on a run that checkpoints) when
     * it is about to pause, so that a paused run another node goes on with loses nothing.
     */
    @Override
    public boolean wantsCheckpoint() {
        return handBackRequested || checkpointEveryNanos > 0
                && (System.nanoTime() - lastCheckpointNanos >= checkpointEveryNanos || holdsAfterEpoch());
    }

    @Override
    public void onCheckpoint(Checkpoint now) {
        lastCheckpointNanos = System.nanoTime();
        checkpoint = now;
        if (handBackRequested) {
            leaving = true;
        }
    }

    /**
     * Asks the run to give its worker back after the epoch under way, leaving a checkpoint there
     * (see {@link #handedBack()}); a run on its last epoch just finishes. Only for a run that
     * checkpoints (on a shared database).
     */
    public void requestHandBack() {
        if (checkpointEveryNanos == 0) {
            throw new IllegalStateException("only a run that leaves checkpoints can be handed back");
        }
        handBackRequested = true;
    }

    /** Whether its owner (or the teacher, or the server closing) asked it to stop. */
    public boolean stopAsked() {
        return stopRequested;
    }

    /** Whether it was asked to give its worker back (and has not finished otherwise). */
    public boolean handBackRequested() {
        return handBackRequested;
    }

    /**
     * Whether it left at its last checkpoint for the cluster's queue: its thread is done, it has no
     * result, and its status still says running until the store has it queued again.
     */
    public boolean handedBack() {
        return handedBack;
    }

    /** Whether another node trains it (its controls go through the store). */
    public boolean isFollowed() {
        return followed;
    }

    /**
     * A followed run's news from the store while it is not over: the epochs after the ones it has
     * (in order, by sequence number; any it already has are skipped), then where it stands.
     */
    public void follow(List<EpochEvent> newer, long storedSeq, Ending now) {
        follow(newer, storedSeq, now, null);
    }

    /**
     * A followed run's news from the store: the epochs after the ones it has (none when nobody reads
     * them now), how many the store has ({@code storedSeq}: the rest are fetched when someone reads
     * them), then where it stands; once over, its result and model read by {@code outcome} the first
     * time someone asks for one of them (a result's predictions cost a forward pass over the data: a
     * node need not make them for a run no one looks at), set before its status so that a run seen
     * over has them to read.
     */
    public void follow(List<EpochEvent> newer, long storedSeq, Ending now,
                       java.util.function.Supplier<Outcome> outcome) {
        if (!followed) {
            throw new IllegalStateException("only a run trained elsewhere is followed");
        }
        synchronized (this) {
            append(newer);
            this.storedSeq = storedSeq;
        }
        if (now.status().isOver()) {
            pendingOutcome = outcome;
        }
        failure = now.failure();
        startedAt = now.startedAt();
        finishedAt = now.finishedAt();
        status = now.status();
    }

    /** How a run ended (or where it is): status, failure key, start and end times (0 when none). */
    public record Ending(RunStatus status, String failure, long startedAt, long finishedAt) {
    }

    /**
     * A followed run's model as its trainer's latest checkpoint has it, for its live views and
     * predictions while it trains elsewhere (once over, its final model takes over).
     */
    public void followModel(TrainedModel now, int epoch) {
        if (!followed) {
            throw new IllegalStateException("only a run trained elsewhere takes its model from the store");
        }
        LiveModel previous = live;
        live = new LiveModel(now, epoch, previous == null ? 1 : previous.version() + 1);
    }

    /**
     * The epoch of the checkpoint whose model a followed run's live views show (0: none yet).
     * Unlike {@link #live()}, asking does not count as someone reading the run.
     */
    public int followedModelEpoch() {
        LiveModel shown = live;
        return shown == null ? 0 : shown.epoch();
    }

    /** Status, failure and times read together (the status first, so an ended run has its result set). */
    public Ending ending() {
        RunStatus now = status;
        return new Ending(now, failure, startedAt, finishedAt);
    }

    public Experiment experiment() {
        return experiment;
    }

    public RunStatus status() {
        return status;
    }

    /** A message key saying why the run failed, or null. */
    public String failure() {
        return failure;
    }

    /** Epoch milliseconds, or 0 while not started / not finished. */
    public long startedAt() {
        return startedAt;
    }

    /** How long it has been on this node since it started or resumed here, in ms (0 before it has). */
    public long millisHere() {
        long since = startedHereNanos;
        return since == 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    public long finishedAt() {
        return finishedAt;
    }

    public TrainingResult result() {
        settleOutcome();
        return result;
    }

    public TrainedModel model() {
        settleOutcome();
        return model;
    }

    /** Whether a followed run's end is still to be read: over, its result and model not asked for yet. */
    public boolean outcomePending() {
        return pendingOutcome != null;
    }

    /** A followed run's result and model, as its trainer stored them at its end. */
    public record Outcome(TrainingResult result, TrainedModel model) {
    }

    /**
     * Reads a followed run's outcome if it is still to be read (once: the callers after the first
     * wait for it). Where it cannot be read now (the database away), it stays to be read, and the
     * run shows no result until then, as before its end was read.
     */
    private void settleOutcome() {
        if (pendingOutcome == null) {
            return;
        }
        synchronized (outcomeLock) {
            java.util.function.Supplier<Outcome> pending = pendingOutcome;
            if (pending == null) {
                return;
            }
            try {
                Outcome outcome = pending.get();
                result = outcome.result();
                model = outcome.model();
                pendingOutcome = null;
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(TrainingRun.class).warn(
                        "the result of a run trained elsewhere could not be read now (asked again later): {}",
                        e.toString());
            }
        }
    }

    /**
     * The model the live views and predictions use: the trained one once the run is over, else the
     * latest copy taken while it trains (null before its first epoch).
     */
    public LiveModel live() {
        lastReadNanos = System.nanoTime(); // someone uses the model: a followed run keeps it up to date
        settleOutcome();
        TrainedModel trained = model;
        if (trained != null) {
            EpochEvent last = lastEvent();
            return new LiveModel(trained, last == null ? 0 : last.epoch(), Long.MAX_VALUE);
        }
        return live;
    }

    public void requestStop() {
        stopRequested = true;
    }

    /** Its owner asked it to pause: it holds after the epoch under way until resumed or stepped. */
    void requestPause() {
        pauseRequested = true;
    }

    /**
     * A run not started yet trains one epoch, then pauses: a paused run that no node held, stepped
     * by its owner, goes on like this on the node that claims it.
     */
    public void pauseAfterFirstEpoch() {
        if (status != RunStatus.QUEUED) {
            throw new IllegalStateException("only a run not started yet, found " + status);
        }
        pauseRequested = true;
    }

    /** Goes on at its pace. */
    void requestResume() {
        pauseRequested = false;
        stepsGranted = 0;
    }

    /** One more epoch, then paused again (a run going now pauses after its epoch under way). */
    void requestStep() {
        if (status == RunStatus.PAUSED) {
            stepsGranted = 1;
        }
        pauseRequested = true;
    }

    /** Whether it must wait after this epoch: paused, and no step granted. */
    boolean holdsAfterEpoch() {
        return pauseRequested && stepsGranted == 0 && !shouldStop();
    }

    /** Whether it was asked to pause (stepping included). */
    public boolean pauseRequested() {
        return pauseRequested;
    }

    /** Leaves the pause, for one granted step or for good. */
    void leavePause() {
        if (stepsGranted > 0) {
            stepsGranted--;
        }
        if (status == RunStatus.PAUSED) {
            status = RunStatus.RUNNING;
        }
    }

    void markPaused() {
        if (status == RunStatus.RUNNING) {
            status = RunStatus.PAUSED;
        }
    }

    /**
     * Whether someone read its history or used its model (a viewer, a page, the board, a
     * prediction) within the last {@code nanos}.
     */
    public boolean readWithin(long nanos) {
        return System.nanoTime() - lastReadNanos < nanos;
    }

    /**
     * Nobody here has asked about it or read it, whatever it has done since it was made: a run a
     * worker claimed from the store, whose viewers are on other nodes (a new run counts as just read,
     * by whoever made it).
     */
    public void forgetAsked() {
        lastReadNanos = System.nanoTime() - NEVER_NANOS;
        lastAskedNanos = lastReadNanos;
    }

    /**
     * Someone asked about the run — its status, perhaps not its history (see {@link #askedWithin}).
     * Reading its history or using its model counts too.
     */
    public void noteAsked() {
        lastAskedNanos = System.nanoTime();
    }

    /**
     * Whether someone asked about it, or read it, within the last {@code nanos}: a followed run's
     * status is then kept up to date as soon as its trainer writes (its epochs only while read).
     */
    public boolean askedWithin(long nanos) {
        long now = System.nanoTime();
        return now - lastAskedNanos < nanos || now - lastReadNanos < nanos;
    }

    public synchronized List<EpochEvent> history() {
        lastReadNanos = System.nanoTime();
        fetchStored();
        return List.copyOf(history);
    }

    /** The events after sequence number {@code seq}, in order. */
    public synchronized List<EpochEvent> eventsSince(long seq) {
        lastReadNanos = System.nanoTime();
        fetchStored();
        int from = (int) Math.max(0, Math.min(seq, history.size()));
        return List.copyOf(history.subList(from, history.size()));
    }

    /**
     * At most about {@code points} events spread evenly over the history, the last one included,
     * read without copying the whole history (a curve for a table of many runs).
     */
    public synchronized List<EpochEvent> thinned(int points) {
        lastReadNanos = System.nanoTime();
        fetchStored();
        int size = history.size();
        int step = Math.max(1, (size + points - 1) / points);
        List<EpochEvent> sample = new ArrayList<>();
        for (int i = 0; i < size; i += step) {
            sample.add(history.get(i));
        }
        if (size > 0 && (size - 1) % step != 0) {
            sample.add(history.get(size - 1));
        }
        return sample;
    }

    private synchronized EpochEvent lastEvent() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    /** The sequence number of its last epoch (a followed run's last stored one, fetched here or not). */
    public synchronized long lastSeq() {
        return Math.max(history.size(), storedSeq);
    }

    /** How many of its epochs are here (a followed run's store may have more, fetched when someone reads them). */
    public synchronized long fetchedSeq() {
        return history.size();
    }

    /** Appends the events that follow the last one here, in order (holds this). */
    private void append(List<EpochEvent> newer) {
        for (EpochEvent event : newer) {
            if (event.seq() == history.size() + 1) {
                history.add(event);
            }
        }
    }

    /**
     * A followed run's epochs that its store has and this node has not fetched, fetched now that
     * someone reads them (holds this). Should the store not answer, the reader gets what is here and
     * the next read tries again.
     */
    private void fetchStored() {
        StoredEpochs source = stored;
        if (source == null || history.size() >= storedSeq) {
            return;
        }
        try {
            append(source.since(history.size()));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(TrainingRun.class).debug(
                    "fetching a followed run's epochs failed (the next read tries again): {}", e.toString());
        }
    }

    @Override
    public void onEarlyStop(EarlyStop stop) {
        earlyStop = stop;
    }

    @Override
    public boolean shouldStop() {
        return stopRequested || diverged || leaving;
    }

    /** The progress of the epoch under way, when the trainer reports one; null between epochs. */
    public BatchProgress progress() {
        return progress;
    }

    @Override
    public void onBatch(BatchProgress batch) {
        if (Double.isFinite(batch.loss())) {
            progress = batch;
        }
        scheduling.mayYield();
    }

    @Override
    public void onEpoch(EpochStats stats) {
        progress = null;
        Map<String, Double> metrics = new HashMap<>();
        if (stats.accuracy() != null) {
            metrics.put("accuracy", stats.accuracy());
        }
        if (stats.valAccuracy() != null) {
            metrics.put("val_accuracy", stats.valAccuracy());
        }
        if (stats.dataLoss() != null) { // the loss without the weights' penalty
            metrics.put("data_loss", stats.dataLoss());
        }
        if (stats.line() != null) { // the learned line, live, in original units
            Equation line = Results.line(experiment, stats.line()[0], stats.line()[1]);
            metrics.put("w", line.weight());
            metrics.put("b", line.bias());
        }
        if (!Double.isFinite(stats.loss()) || (stats.valLoss() != null && !Double.isFinite(stats.valLoss()))) {
            diverged = true;
            return;
        }
        synchronized (this) {
            history.add(new EpochEvent(history.size() + 1, stats.epoch(), stats.loss(), stats.valLoss(), metrics));
        }
        scheduling.mayYield();
    }

    @Override
    public boolean wantsModel() {
        return pauseRequested || System.nanoTime() - lastCopyNanos >= LIVE_EVERY_NANOS;
    }

    @Override
    public void onModel(TrainedModel now) {
        lastCopyNanos = System.nanoTime();
        EpochEvent last = lastEvent();
        LiveModel previous = live;
        live = new LiveModel(now, last == null ? 0 : last.epoch(), previous == null ? 1 : previous.version() + 1);
    }

    @Override
    public void afterEpoch() {
        scheduling.afterEpoch();
    }

    /** The scheduler's hooks, called on the training thread (its chance to take the worker back, or to hold the run). */
    void scheduling(Scheduling hooks) {
        this.scheduling = hooks;
    }

    /** Runs on a worker thread: trains, then records the result or the failure. */
    void execute(Trainer trainer) {
        if (stopRequested) {
            finish(RunStatus.STOPPED);
            return;
        }
        if (startedAt == 0) { // a resumed run keeps its first start
            startedAt = System.currentTimeMillis();
        }
        startedHereNanos = System.nanoTime();
        status = RunStatus.RUNNING;
        long start = System.nanoTime();
        try {
            TrainedModel trained = trainer.train(experiment.job(), this);
            if (leaving && !stopRequested && !diverged) {
                handedBack = true; // no result: it goes on elsewhere from its checkpoint
                return;
            }
            if (diverged) {
                failure = "error.diverged";
                finish(RunStatus.FAILED);
                return;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            result = Results.of(experiment, trained, lastEvent(), millis, earlyStop);
            model = trained;
            finish(stopRequested ? RunStatus.STOPPED : RunStatus.FINISHED);
        } catch (RuntimeException | OutOfMemoryError e) {
            org.slf4j.LoggerFactory.getLogger(TrainingRun.class).warn("training failed", e);
            failure = "error.trainingFailed";
            finish(RunStatus.FAILED);
        }
    }

    private void finish(RunStatus outcome) {
        finishedAt = System.currentTimeMillis();
        status = outcome;
    }

    /** Predictions in original units, by the {@link #live()} model; only once there is one. */
    public double[][] predict(double[][] inputs) {
        LiveModel now = live();
        if (now == null) {
            throw new IllegalStateException("no model yet");
        }
        return experiment.predict(now.model(), inputs);
    }
}
