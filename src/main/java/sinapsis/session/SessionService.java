package sinapsis.session;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.CsvTableParser;
import sinapsis.data.ImageLayout;
import sinapsis.data.ImageSet;
import sinapsis.data.Hashes;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.data.TableSummary;
import sinapsis.model.Activation;
import sinapsis.model.DataSpec;
import sinapsis.model.InputShape;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.SessionSpec;
import sinapsis.model.Task;
import sinapsis.store.SessionListing;
import sinapsis.store.SessionStore;
import sinapsis.store.StoredSession;
import sinapsis.training.Checkpoint;
import sinapsis.training.EpochEvent;
import sinapsis.training.Experiment;
import sinapsis.training.GradientStep;
import sinapsis.training.RunOwner;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingResult;
import sinapsis.training.TrainingRun;
import sinapsis.surface.SurfaceRequest;
import sinapsis.surface.Surfaces;
import sinapsis.training.TrainingRun.Ending;
import sinapsis.training.TrainingService;

/**
 * Creates sessions from specs (resolving and checking their data), stores them, and finds, forks,
 * re-runs, renames, stops, deletes and predicts with them. Sessions with a run going are held in
 * memory and written to the store as they train; others are loaded from the store on demand and
 * recent ones are cached (up to 256, and up to a quarter of the heap by an estimate of their data).
 */
public final class SessionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);
    private static final int CACHED_SESSIONS = 256;
    public static final int MAX_NAME_LENGTH = 100;
    /** Step-by-step gradient descent: the largest model, table and step number it shows. */
    public static final int MAX_STEP_PARAMETERS = 50;
    public static final int MAX_STEP_ROWS = 1000;
    public static final int MAX_STEPS = 1000;

    private final BuiltInDatasets datasets;
    private final CsvTableParser parser;
    private final Limits limits;
    private final TrainingService training;
    private final SessionStore store;
    private final RunRecorder recorder;
    /** On a shared database: follows the runs other nodes train and takes the actions they ask; else null. */
    private final RunFollower follower;
    private final Map<String, Session> active = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<Session>> challengeRunOver =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * How long a run waits in the store before a busy node hands it a worker: past a few rounds of
     * every node's follower, so an idle node would have claimed it.
     */
    private static final Duration WAITED_FOR_A_WORKER = Duration.ofSeconds(1);
    /** Stopping cleanly: its runs go back to the queue and it claims none. */
    private volatile boolean closing;
    private final Map<String, String> builtInHashes = new ConcurrentHashMap<>();
    private static final long OPENED_MARK_INTERVAL_MILLIS = 3_600_000;
    private static final int MAX_OPENED_MARKS = 100_000;
    private final Map<String, Long> openedMarks = new ConcurrentHashMap<>();
    private final SessionCache recent = new SessionCache(CACHED_SESSIONS, Runtime.getRuntime().maxMemory() / 4);
    /** Stored tables parsed here, by hash: a class's runs on one pasted table are restored from one copy. */
    private final TablesByHash<ResolvedData> storedTables = new TablesByHash<>(32, Runtime.getRuntime().maxMemory() / 16);

    /** A new session and the owner token that proves ownership of it (shown once, stored only hashed). */
    public record Created(Session session, String ownerToken) {
    }

    /**
     * The data a spec trains on: its CSV text, parsed table and content hash. A built-in image set
     * has no table: its text only names the images (they are never stored as text), its problem is
     * read from the set's shared rows (a table of Fashion-MNIST's pixels would take 440 MB of heap
     * per session), {@code trainingRows} are the training images used and {@code testRows} the size
     * of its test split, the problem's last rows.
     */
    private record ResolvedData(String csv, Table table, ImageSet images, int trainingRows, String hash,
                                int testRows) {
        static ResolvedData ofTable(String csv, Table table, String hash) {
            return new ResolvedData(csv, table, null, 0, hash, 0);
        }

        TableSummary summary() {
            return images != null ? images.summary(trainingRows) : TableSummary.of(table);
        }

        /** The table, made from the image set only when a session picks columns of its own. */
        Table asTable() {
            return table != null ? table : images.table(trainingRows);
        }
    }

    /**
     * @param historyInterval how often running sessions' new epochs are written (a crash loses at most this much)
     */
    public SessionService(BuiltInDatasets datasets, Limits limits, TrainingService training, SessionStore store,
                          Duration historyInterval) {
        this.datasets = datasets;
        this.parser = new CsvTableParser(limits);
        this.limits = limits;
        this.training = training;
        this.store = store;
        int requeued = store.requeueOrphaned(System.currentTimeMillis());
        if (requeued > 0) {
            LOG.info("{} run(s) of nodes that are gone: back in the queue, from their last checkpoint", requeued);
        }
        int interrupted = store.interruptOrphaned(System.currentTimeMillis());
        if (interrupted > 0) {
            LOG.info("{} session(s) were queued or running when the server last stopped: marked interrupted",
                    interrupted);
        }
        this.recorder = new RunRecorder(store, historyInterval, this::settled);
        this.follower = store.isShared() ? new RunFollower(store, new FollowerHooks()).start() : null;
        if (follower != null && store.trainsHere()) {
            training.afterEachRun(follower::claimNow); // a slot free: the next waiting run now, not in 50–150 ms
        }
    }

    public Limits limits() {
        return limits;
    }

    public TrainingService training() {
        return training;
    }

    /** Parses a pasted table, as the editor's preview shows it. */
    public Table parseTable(String csv) {
        return parser.parse(csv);
    }

    /** Validates the spec against its data, stores and queues the session; refuses with an {@link InvalidSpecException}. */
    public Created create(SessionSpec spec) {
        return create(spec, null);
    }

    /** A new session whose runs are scheduled as {@code runOwner}'s (a student's), or on their own when null. */
    public Created create(SessionSpec spec, RunOwner runOwner) {
        return create(spec, runOwner, Requester.NONE);
    }

    /** As {@link #create(SessionSpec, RunOwner)}, within {@code requester}'s runs and space. */
    public Created create(SessionSpec spec, RunOwner runOwner, Requester requester) {
        return create(spec, runOwner, requester, null);
    }

    /** As {@link #create(SessionSpec, RunOwner, Requester)}, named {@code name} (none when null). */
    public Created create(SessionSpec spec, RunOwner runOwner, Requester requester, String name) {
        String token = OwnerTokens.next();
        return new Created(createOwnedBy(spec, OwnerTokens.hash(token), runOwner, requester, checkedName(name)), token);
    }

    /**
     * Creates and queues a grid search's refit: a session whose owner token is the one hashed as
     * {@code ownerHash} (whoever owns the search, with the same token), its data counted in
     * {@code space} (null: no one's) without a check — the search counted the same table there
     * while it went, and stops counting it as it ends.
     */
    public Session createRefit(SessionSpec spec, String ownerHash, String name, String space) {
        return createOwnedBy(spec, ownerHash, null, new Requester(null, space), checkedName(name), false);
    }

    private Session createOwnedBy(SessionSpec spec, String ownerHash, RunOwner runOwner, Requester requester,
                                  String name) {
        return createOwnedBy(spec, ownerHash, runOwner, requester, name, true);
    }

    private Session createOwnedBy(SessionSpec spec, String ownerHash, RunOwner runOwner, Requester requester,
                                  String name, boolean checkSpace) {
        ResolvedData data = resolve(spec.data());
        Experiment experiment = experiment(spec, data);
        training.checkRoomFor(requester.client());
        // built-in data is stored once for everyone and counts for no one
        long bytes = spec.data().isBuiltIn() || checkSpace && requester.space() == null ? 0 : data.csv().length();
        boolean spaceChecked = checkSpace && bytes > 0;
        String id = Ids.next();
        long now = System.currentTimeMillis();
        StoredSession row = stored(id, ownerHash, name, RunStatus.QUEUED, spec, data.hash(), now);
        if (store.isShared()) { // the limits counted over every node by the statement that stores it
            SessionStore.Room room = room(requester, spaceChecked ? (long) limits.maxSpaceMegabytes() << 20
                    : Long.MAX_VALUE);
            Optional<SessionStore.RunCounts> full = store.insertIfRoom(row, data.csv(), requester.space(), bytes, room);
            if (full.isPresent()) {
                refuseWhenFull(full.get(), spaceChecked ? bytes : 0);
                throw new IllegalStateException("the store found no room for session " + id + " within " + room
                        + ", counting " + full.get());
            }
        } else {
            if (spaceChecked) {
                checkSpaceOf(requester, bytes);
            }
            store.insert(row, data.csv(), requester.space(), bytes);
        }
        openedMarks.put(id, now); // stored as opened when created
        Session.State state = new Session.State(spec, data.summary(), data.hash(), null);
        Session session = new Session(id, ownerHash, name, null, now, state);
        session.scheduleAs(runOwner);
        start(session, state, experiment, requester);
        return session;
    }

    /**
     * Refuses one more run to a requester who has {@code SINAPSIS_MAX_RUNS_PER_CLIENT} going, and,
     * on a shared database, one more waiting when {@code SINAPSIS_MAX_QUEUED} wait in all or a
     * student has {@code SINAPSIS_MAX_QUEUED_PER_STUDENT} waiting. There they are counted in the
     * store, over every node: a web node trains none of the runs made on it (its training service,
     * which counts them on a single node, never sees them), and each node would count only its own.
     * A new session's are counted by the statement that stores it ({@link SessionStore#insertIfRoom}).
     */
    private void checkRoomFor(Requester requester) {
        training.checkRoomFor(requester.client());
        if (store.isShared()) {
            SessionStore.Room room = room(requester, Long.MAX_VALUE);
            refuseWhenFull(store.runCounts(room.studentId(), room.space()), 0);
        }
    }

    /**
     * The room the limits leave a new run of {@code requester}'s, counted in the store, and at most
     * {@code maxSpaceBytes} of data in their space with its own.
     */
    private SessionStore.Room room(Requester requester, long maxSpaceBytes) {
        boolean someone = requester.client() != null; // no one in particular (a search's refit): the queue alone
        return new SessionStore.Room(someone ? requester.studentId() : null, someone ? requester.space() : null,
                limits.maxRunsPerClient(), limits.maxQueued(), limits.maxQueuedPerStudent(), maxSpaceBytes);
    }

    /**
     * Refuses a new run when {@code counts} leave it no room (see {@link #checkRoomFor}), or when
     * {@code newBytes} of pasted data would take its space over {@code SINAPSIS_MAX_SPACE_MB}.
     */
    private void refuseWhenFull(SessionStore.RunCounts counts, long newBytes) {
        if (counts.going() >= limits.maxRunsPerClient()) {
            throw new InvalidSpecException("", "error.runsPerClient", limits.maxRunsPerClient());
        }
        if (counts.queued() >= limits.maxQueued()) {
            throw new InvalidSpecException("", "error.queueFull", limits.maxQueued());
        }
        if (counts.queuedOfStudent() >= limits.maxQueuedPerStudent()) {
            throw new InvalidSpecException("", "error.queuedPerStudent", limits.maxQueuedPerStudent());
        }
        if (newBytes > 0) {
            refuseOverSpace(counts.spaceBytes(), newBytes);
        }
    }

    /**
     * Refuses {@code bytes} of pasted data (a grid search's table) that would take {@code requester}'s
     * space over {@code SINAPSIS_MAX_SPACE_MB}, as a new session's would be, naming {@code data.csv}.
     */
    public void checkSpace(Requester requester, long bytes) {
        if (bytes > 0) { // nothing to count: nothing to refuse, even in a space already full
            checkSpaceOf(requester, bytes);
        }
    }

    /**
     * Refuses pasted data that would take {@code requester}'s space over the limit (built-in data is
     * stored once for everyone and counts for no one); returns the bytes to count.
     */
    private long checkSpaceOf(Requester requester, long bytes) {
        if (requester.space() == null) {
            return 0;
        }
        refuseOverSpace(store.spaceUsed(requester.space()), bytes);
        return bytes;
    }

    /** Refuses {@code bytes} more in a space that holds {@code used} when that would take it over the limit. */
    private void refuseOverSpace(long used, long bytes) {
        if (used + bytes > (long) limits.maxSpaceMegabytes() << 20) {
            throw new InvalidSpecException("data.csv", "error.spaceFull", (used + (1 << 20) - 1) >> 20,
                    limits.maxSpaceMegabytes());
        }
    }

    /** The experiment a spec describes, checked as a new session's would be (data, network, limits); nothing is stored. */
    public Experiment experiment(SessionSpec spec) {
        return experiment(spec, resolve(spec.data()));
    }

    /**
     * The experiments of several specs (a grid search's combinations), each checked as a new
     * session's would be. Specs with the same data share it: the table is parsed once and each
     * distinct problem (columns, task, output units) is built once, its rows shared, not copied.
     */
    public List<Experiment> experiments(List<SessionSpec> specs) {
        Map<DataSpec, ResolvedData> resolved = new java.util.HashMap<>();
        Map<List<Object>, Problem> problems = new java.util.HashMap<>();
        List<Experiment> experiments = new java.util.ArrayList<>(specs.size());
        for (SessionSpec spec : specs) {
            experiments.add(experiment(spec, resolved.computeIfAbsent(spec.data(), this::resolve), problems));
        }
        return experiments;
    }

    /** A gradient step and the experiment it was taken in (its column names, its scaling). */
    public record Stepped(Experiment experiment, GradientStep step) {
    }

    /**
     * Step {@code step} of plain gradient descent on the spec's data, from its seeded starting
     * weights; nothing is stored, and the same spec and step always give the same numbers. Only
     * for small models and tables, where each number can be shown.
     */
    public Stepped step(SessionSpec spec, int step) {
        if (step < 0 || step > MAX_STEPS) {
            throw new InvalidSpecException("step", "error.range", step, 0, MAX_STEPS);
        }
        if (spec.network().hasImageLayers()) {
            throw new InvalidSpecException("network", "error.imageSteps");
        }
        ResolvedData data = resolve(spec.data());
        Experiment experiment = experiment(spec, data);
        long parameters = spec.network().parameterCount(experiment.problem().inputCount());
        if (parameters > MAX_STEP_PARAMETERS) {
            throw new InvalidSpecException("network", "error.tooManyParametersForSteps", parameters,
                    MAX_STEP_PARAMETERS);
        }
        if (experiment.trainRows() > MAX_STEP_ROWS) {
            throw new InvalidSpecException("data", "error.tooManyRowsForSteps", experiment.trainRows(), MAX_STEP_ROWS);
        }
        return new Stepped(experiment, training.step(experiment.job(), step));
    }

    /** A copy of the session's data and spec, owned by the caller, not started: it opens in the editor. */
    public Created fork(Session source) {
        return fork(source, Requester.NONE, source.name());
    }

    /** As {@link #fork(Session)}, its data counted in {@code requester}'s space, named {@code name}. */
    public Created fork(Session source, Requester requester, String name) {
        Session.State from = source.state();
        String token = OwnerTokens.next();
        String ownerHash = OwnerTokens.hash(token);
        String id = Ids.next();
        long now = System.currentTimeMillis();
        String csv = csv(source);
        long bytes = source.spec().data().isBuiltIn() ? 0 : checkSpaceOf(requester, csv.length());
        store.insert(stored(id, ownerHash, name, RunStatus.DRAFT, from.spec(), from.dataHash(), now)
                .withForkedFrom(source.id()), csv, requester.space(), bytes);
        openedMarks.put(id, now);
        Session fork = new Session(id, ownerHash, name, source.id(), now,
                new Session.State(from.spec(), from.table(), from.dataHash(),
                        TrainingRun.draft(source.run().experiment())));
        cache(fork);
        return new Created(fork, token);
    }

    /**
     * Starts the session again: a new run with {@code spec} (or, when null, the same spec), its
     * previous history and result cleared. Only a draft or a run that is over can start.
     */
    public void rerun(Session session, SessionSpec spec) {
        rerun(session, spec, Requester.NONE);
    }

    /** As {@link #rerun(Session, SessionSpec)}, within {@code requester}'s runs. */
    public void rerun(Session session, SessionSpec spec, Requester requester) {
        synchronized (session) {
            RunStatus status = session.run().status();
            if (!status.canStart()) {
                throw new SessionStateException("error.stillRunning", status.id());
            }
            Session.State now = session.state();
            Session.State next;
            Experiment experiment;
            String csv;
            if (spec == null) { // the same spec on the same data: the same experiment
                next = now;
                experiment = now.run().experiment();
                csv = csv(session);
            } else {
                ResolvedData data = resolve(spec.data());
                experiment = experiment(spec, data);
                next = new Session.State(spec, data.summary(), data.hash(), null);
                csv = data.csv();
            }
            checkRoomFor(requester);
            recorder.flush(session);
            store.restart(stored(session.id(), session.ownerHash(), session.name(), RunStatus.QUEUED, next.spec(),
                    next.dataHash(), session.createdAt()), csv);
            start(session, next, experiment, requester);
        }
    }

    /** Queues a new run of the experiment as the session's run, held in memory and recorded until it is over. */
    private void start(Session session, Session.State state, Experiment experiment, Requester requester) {
        start(session, state, experiment, requester, null, false);
    }

    /** Where a claimed run goes on from: a gone node's checkpoint and the history up to it. */
    private record Resume(Checkpoint checkpoint, List<EpochEvent> history, long startedAt) {
    }

    /**
     * As {@link #start(Session, Session.State, Experiment, Requester)}, after {@code resume} when not
     * null; {@code oneEpoch}: it pauses after its first epoch (a step asked while it waited).
     */
    private void start(Session session, Session.State state, Experiment experiment, Requester requester,
                       Resume resume, boolean oneEpoch) {
        if (!store.trainsHere()) { // a web node: the run waits in the store for a worker, and is followed from there
            session.replace(new Session.State(state.spec(), state.table(), state.dataHash(), TrainingRun.followed(
                    experiment, new TrainingRun.Ending(RunStatus.QUEUED, null, 0, 0), List.of(),
                    storedEpochs(session.id()))));
            active.remove(session.id());
            cache(session);
            return;
        }
        TrainingRun run = new TrainingRun(experiment);
        if (store.isShared()) { // another node may have to go on with it
            run.checkpointEvery(store.checkpointInterval());
        }
        if (resume != null) {
            run.resumeFrom(resume.checkpoint(), resume.history(), resume.startedAt());
        }
        if (oneEpoch) {
            run.pauseAfterFirstEpoch();
        }
        training.submit(run, session.runOwner() != null ? session.runOwner() : new RunOwner("", session.id()),
                requester.client());
        session.replace(new Session.State(state.spec(), state.table(), state.dataHash(), run));
        active.put(session.id(), session);
        recent.remove(session.id());
        recorder.track(session, run, RunStatus.QUEUED);
    }

    /** Called by the recorder once a run is over and fully stored. */
    private void settled(Session session, boolean onAChallenge) {
        cache(session);
        active.remove(session.id(), session);
        if (onAChallenge) {
            challengeRunOver.forEach(listener -> {
                try {
                    listener.accept(session);
                } catch (RuntimeException e) {
                    LOG.warn("a listener failed on the end of session {}'s run", session.id(), e);
                }
            });
        }
        if (follower != null) {
            follower.soon(); // a slot is free: claim the next waiting run now, not at the next round
        }
    }

    private Session cache(Session session) {
        return recent.putIfAbsent(session);
    }

    /**
     * The session if it is in memory (training, or opened recently); never read from the store,
     * except a shown session's state when the follower's rounds had left it out (nobody asked about
     * it for a while: see {@link RunFollower#refreshIfIdle}).
     */
    public Optional<Session> inMemory(String id) {
        Session session = active.get(id);
        if (session == null) {
            session = recent.get(id);
            if (session != null && follower != null) {
                follower.refreshIfIdle(session);
                if (session.isDeleted()) {
                    return Optional.empty();
                }
            }
        }
        return Optional.ofNullable(session);
    }

    public Optional<Session> find(String id) {
        if (id == null || id.length() > 64) {
            return Optional.empty();
        }
        Session session = active.get(id);
        if (session == null) {
            session = recent.get(id);
            if (session != null && follower != null) {
                follower.refreshIfIdle(session);
                if (session.isDeleted()) {
                    session = null;
                }
            }
        }
        if (session == null) {
            session = store.find(id).map(this::restore).map(this::cache).orElse(null);
        }
        if (session != null) {
            noteOpened(session.id());
            if (follower != null) {
                session.run().noteAsked(); // its status kept up to date at once while someone asks
            }
        }
        return Optional.ofNullable(session);
    }

    /** Writes when a session was opened, at most once an hour per session (the retention policy counts days). */
    private void noteOpened(String id) {
        long now = System.currentTimeMillis();
        Long last = openedMarks.get(id);
        if (last != null && now - last < OPENED_MARK_INTERVAL_MILLIS) {
            return;
        }
        if (openedMarks.size() > MAX_OPENED_MARKS) {
            openedMarks.clear();
        }
        openedMarks.put(id, now);
        store.markOpened(id, now);
    }

    /**
     * The retention policy: deletes up to {@code max} sessions that nobody opened since
     * {@code cutoff} and that are not waiting or training, as {@link #delete} does (their data
     * goes with the last session that used it). Returns how many it deleted.
     */
    public int deleteNotOpenedSince(long cutoff, int max) {
        int deleted = 0;
        for (String id : store.notOpenedSince(cutoff, max)) {
            Session session = inMemory(id).orElse(null);
            if (session != null && !session.run().status().canStart()) {
                continue;
            }
            if (session != null) {
                delete(session);
            } else {
                store.delete(id);
            }
            openedMarks.remove(id);
            deleted++;
        }
        return deleted;
    }

    /** A stored session back in memory: its data parsed, its history and result read, its model rebuilt. */
    private Session restore(StoredSession row) {
        // a built-in data set that has not changed since is already parsed; anything else is read
        // and parsed once a node (see storedTable)
        DataSpec builtInSpec = row.dataset() == null ? null
                : asStored(new DataSpec(null, row.dataset(), row.inputs(), row.targets()), row);
        ResolvedData builtIn = builtInSpec != null && datasets.find(row.dataset()).isPresent()
                ? resolve(builtInSpec) : null;
        ResolvedData data = builtIn != null && builtIn.hash().equals(row.dataHash()) ? builtIn
                : storedTable(row.id(), row.dataHash());
        DataSpec dataSpec = builtInSpec != null ? builtInSpec
                : asStored(DataSpec.ofCsv(data.csv(), row.inputs(), row.targets()), row);
        SessionSpec spec = new SessionSpec(dataSpec, row.network(), row.training());
        Experiment experiment = experiment(spec, data);
        TrainingRun run;
        if (row.ending().status() == RunStatus.DRAFT) {
            run = TrainingRun.draft(experiment);
        } else if (!row.ending().status().isOver() && heldElsewhere(row.id())) {
            run = TrainingRun.followed(experiment, row.ending(), store.history(row.id()), storedEpochs(row.id()));
        } else {
            Ending ending = row.ending().status().isOver() ? row.ending()
                    // queued or running in the store but not here: another process had it, and it is gone
                    : new Ending(RunStatus.INTERRUPTED, null, row.ending().startedAt(), row.ending().finishedAt());
            Finished finished = finished(row, experiment);
            run = TrainingRun.restored(experiment, ending, store.history(row.id()), finished.result(),
                    finished.model());
        }
        return new Session(row.id(), row.ownerHash(), row.name(), row.forkedFrom(), row.createdAt(),
                new Session.State(spec, data.summary(), row.dataHash(), run));
    }

    /** The data spec with the training rows and derived inputs the session stored. */
    private static DataSpec asStored(DataSpec spec, StoredSession row) {
        return spec.withTrainingRows(row.trainingRows()).withFeatures(row.features());
    }

    /**
     * The stored data of hash {@code hash} as a parsed table: read from the store and parsed the
     * first time, then shared by every session restored here on it ({@link #storedTables}).
     */
    private ResolvedData storedTable(String sessionId, String hash) {
        ResolvedData known = storedTables.get(hash);
        if (known != null) {
            return known;
        }
        String csv = store.data(hash).orElseThrow(
                () -> new IllegalStateException("the data of session " + sessionId + " is missing"));
        Table table = parser.parse(csv);
        ResolvedData data = ResolvedData.ofTable(csv, table, hash);
        // its text (two bytes a character) and its cells as numbers, about
        storedTables.put(hash, data, 2L * csv.length() + 8L * table.rowCount() * table.columns().size());
        return data;
    }

    /** A stored run's result with its predictions, and its model; both null when it has none. */
    private record Finished(TrainingResult result, TrainedModel model) {
    }

    private Finished finished(StoredSession row, Experiment experiment) {
        TrainingResult result = row.result();
        if (result == null) {
            return new Finished(null, null);
        }
        TrainedModel model = training.restore(row.network(), row.training(), experiment.problem().inputShape(),
                result.weights());
        return new Finished(result.withPredictions(sinapsis.training.Results.predictions(experiment, model)), model);
    }

    /**
     * Trains here a run this node has just claimed from the store: the session as stored (the one
     * shown here already, when there is one, so its viewers go on), its run started.
     */
    private void adopt(SessionStore.Claim claim) {
        StoredSession row = claim.session();
        Resume resume = resumable(row);
        // until its run starts here, a session shown for the first time shows what it is: queued,
        // with the epochs it goes on from (not a draft with none: a viewer or a page reading it in
        // between would see its history vanish and come back)
        Session fresh = restore(row.withEnding(new TrainingRun.Ending(RunStatus.DRAFT, null, 0, 0)));
        Session.State drafted = fresh.state();
        fresh.replace(new Session.State(drafted.spec(), drafted.table(), drafted.dataHash(), TrainingRun.aboutToStart(
                drafted.run().experiment(), resume != null ? resume.startedAt() : 0,
                resume != null ? resume.history() : List.of())));
        Session session = cache(fresh);
        // owner actions asked while it waited (or as its last holder handed it back): a step or a
        // pause is its first epoch's, before it computes; a stop or a delete is carried out at once
        List<String> asked = claim.controls();
        boolean oneEpoch = false; // the last of them decides: a resume after a step lets it run on
        for (String action : asked) {
            oneEpoch = action.equals("step") || action.equals("pause") || oneEpoch && !action.equals("resume");
        }
        synchronized (session) {
            start(session, fresh.state(), fresh.run().experiment(), Requester.NONE, resume, oneEpoch);
            // nobody here looks at it: once over, the rounds leave it out (they read the state of
            // every run shown here that someone asked about lately, for ten seconds)
            session.run().forgetAsked();
        }
        asked.stream().filter(List.of("stop", "delete")::contains).findFirst()
                .ifPresent(action -> carryOut(session, action));
    }

    /** An owner action another node asked for a run trained here (see {@link SessionStore#requestControl}). */
    private void carryOut(Session session, String action) {
        try {
            switch (action) {
                case "stop" -> stop(session);
                case "pause" -> pause(session);
                case "resume" -> resume(session);
                case "step" -> step(session);
                case "delete" -> delete(session);
                default -> LOG.warn("unknown action '{}' asked for session {}", action, session.id());
            }
        } catch (SessionStateException e) {
            // the run moved on since it was asked (it paused, or ended): the action no longer applies
        }
    }

    /**
     * Where a claimed run goes on from: its checkpoint and the history up to it (what a gone node
     * left: the queue truncated the rest), or null to start from the beginning with no history.
     */
    private Resume resumable(StoredSession row) {
        String id = row.id();
        if (row.epochCount() == 0) {
            return null; // no epoch stored (a new run, or one handed back before its first): nothing to read
        }
        Checkpoint checkpoint = store.checkpoint(id).orElse(null);
        List<EpochEvent> history = store.history(id);
        if (checkpoint != null && !history.isEmpty() && history.size() == checkpoint.epoch()
                && history.get(history.size() - 1).epoch() == checkpoint.epoch()) {
            LOG.info("session {}: goes on after epoch {}, its checkpoint", id, checkpoint.epoch());
            return new Resume(checkpoint, history, row.ending().startedAt());
        }
        if (!history.isEmpty()) { // a history without its checkpoint: the run starts over
            LOG.warn("session {}: {} stored epochs but no checkpoint that matches them; it starts over", id,
                    history.size());
            store.clearHistory(id);
        }
        return null;
    }

    /**
     * A run that left this node at its checkpoint goes back to the store's queue (its epochs and
     * checkpoint written first) and is followed here from then on; when the store cannot take it
     * yet, the next round tries again.
     */
    private boolean queueAgain(Session session, TrainingRun run, long now) {
        recorder.flush(session);
        synchronized (session) {
            if (session.run() != run) {
                return false;
            }
            SessionStore.HandBack done = store.handBack(session.id(), run.checkpoint().epoch(), now);
            if (done == SessionStore.HandBack.CHECKPOINT_NOT_STORED) {
                return false;
            }
            followFromStore(session, run, RunStatus.QUEUED, run.history());
            if (done == SessionStore.HandBack.NOT_HELD) {
                return false; // another node took it over meanwhile: the follower's next round shows the store's
            }
            if (run.stopAsked()) { // asked to stop once its thread had left: it stays stopped where it left
                store.stopIfWaiting(session.id(), now);
                return false;
            }
        }
        LOG.info("session {}: back in the queue after epoch {}, for {}", session.id(), run.checkpoint().epoch(),
                closing ? "another node: this one stops" : "runs that waited for a worker");
        follower.soon();
        return true;
    }

    /**
     * A run that has left this node for the store (waiting as {@code status}) is no longer trained
     * or recorded here, only followed, from its history so far. Holds the session's lock.
     */
    private void followFromStore(Session session, TrainingRun run, RunStatus status, List<EpochEvent> history) {
        recorder.untrack(session);
        active.remove(session.id(), session);
        Session.State state = session.state();
        session.replace(new Session.State(state.spec(), state.table(), state.dataHash(), TrainingRun.followed(
                run.experiment(), new Ending(status, null, run.startedAt(), 0), history, storedEpochs(session.id()))));
        cache(session);
    }

    /** A followed run's epochs as the store has them, for it to fetch those it lacks when someone reads them. */
    private TrainingRun.StoredEpochs storedEpochs(String id) {
        return seq -> store.historySince(id, seq);
    }

    /**
     * At a clean stop, a run paused here at its checkpoint waits in the store, paused and held by
     * no node, for its owner to resume or step it on any node; false when its checkpoint is not
     * the paused epoch's (it is interrupted with this node, as before).
     */
    private boolean park(Session session, TrainingRun run) {
        recorder.flush(session); // its epochs and its pause checkpoint
        synchronized (session) {
            Checkpoint checkpoint = run.checkpoint();
            List<EpochEvent> history = run.history();
            boolean pausedAtItsCheckpoint = session.run() == run && run.status() == RunStatus.PAUSED
                    && checkpoint != null && !history.isEmpty()
                    && history.get(history.size() - 1).epoch() == checkpoint.epoch();
            if (!pausedAtItsCheckpoint || store.park(session.id(), checkpoint.epoch(), System.currentTimeMillis())
                    != SessionStore.HandBack.LEFT) {
                return false;
            }
            followFromStore(session, run, RunStatus.PAUSED, history);
        }
        LOG.info("session {}: paused after epoch {}, left in the store for any node to go on with", session.id(),
                run.checkpoint().epoch());
        return true;
    }

    /**
     * At a clean stop on a shared database: the runs computing here leave at the end of their epoch
     * under way with a checkpoint and go back to the queue, for another node to go on with (a
     * rolling restart loses no training); this node claims nothing more. Runs that have not left
     * within {@code wait} (a long epoch) are interrupted with the node, as before; paused runs wait
     * paused in the store (see {@link #park}). Returns how many went back or were left paused.
     */
    public int handBackAll(Duration wait) {
        if (follower == null) {
            return 0;
        }
        closing = true;
        List<TrainingRun> leaving = new ArrayList<>();
        for (Session session : active.values()) {
            TrainingRun run = session.run();
            if (run.status() == RunStatus.RUNNING && !run.isFollowed() && !run.pauseRequested()
                    && !run.handBackRequested()) {
                run.requestHandBack();
                leaving.add(run);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline
                && leaving.stream().anyMatch(run -> !run.handedBack() && !run.status().isOver())) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int queued = 0;
        for (Session session : List.copyOf(active.values())) {
            if (session.run().handedBack() && queueAgain(session, session.run(), System.currentTimeMillis())) {
                queued++;
            } else if (session.run().status() == RunStatus.PAUSED && park(session, session.run())) {
                queued++;
            }
        }
        return queued;
    }

    /**
     * Whether this session's run is trained elsewhere: held by another node that is alive, or
     * waiting in the store for a worker (only ever on a shared database).
     */
    private boolean heldElsewhere(String id) {
        if (follower == null) {
            return false;
        }
        SessionStore.RunState state = store.runStates(List.of(id), System.currentTimeMillis()).get(id);
        return state != null && state.heldElsewhere();
    }

    /** What the follower needs: the sessions shown here, and what to do when the store says they changed. */
    private final class FollowerHooks implements RunFollower.Sessions {
        @Override
        public void claimWhileIdle() {
            // only with a slot idle: a node that took runs ahead would keep them from an idle node
            while (!closing && store.trainsHere() && training.hasIdleSlot()) {
                if (!claimOne()) {
                    return;
                }
            }
        }

        /** Claims the run the fair order gives this node and trains it here; false when none may go. */
        private boolean claimOne() {
            SessionStore.Claim claim = store.claim(limits.maxRunningPerStudent()).orElse(null);
            if (claim != null) {
                adopt(claim);
            }
            return claim != null;
        }

        @Override
        public void shareWorkers() {
            long now = System.currentTimeMillis();
            boolean leaving = false;
            for (Session session : active.values()) {
                TrainingRun run = session.run();
                if (run.handedBack()) {
                    queueAgain(session, run, now);
                } else if (run.handBackRequested() && !run.status().isOver()) {
                    leaving = true;
                }
            }
            // one at a time, only when every slot here computes and a run has waited past a round of every node
            if (leaving || !store.trainsHere() || training.hasIdleSlot()) {
                return;
            }
            // a grid search's folds share their slots (each leaves its slot to a run waiting here at
            // the end of its slice): a run that no node had a slot for takes one of them
            int sharedBySearches = training.slotsASearchShares();
            if (sharedBySearches > 0 && store.runsWaitingSince(now - WAITED_FOR_A_WORKER.toMillis())) {
                int taken = 0;
                while (taken < sharedBySearches && !closing && claimOne()) {
                    taken++; // it takes a fold's slot at the end of the fold's slice
                }
                return;
            }
            long slice = store.checkpointInterval().toMillis();
            // the run that would leave first, and only then the store asked whether one waits (runs
            // shorter than a slice, a class's usual, ask nothing)
            active.values().stream().map(Session::run)
                    .filter(run -> run.status() == RunStatus.RUNNING && !run.isFollowed() && !run.pauseRequested()
                            && !run.handBackRequested() && run.experiment().training().pace() == 0
                            && run.millisHere() >= slice) // a resumed run's slice starts again where it resumed
                    .max(java.util.Comparator.comparingLong(TrainingRun::millisHere))
                    .filter(run -> store.runsWaitingSince(now - WAITED_FOR_A_WORKER.toMillis()))
                    .ifPresent(TrainingRun::requestHandBack);
        }

        @Override
        public void modelFromCheckpoint(Session session) {
            TrainingRun run = session.run();
            Checkpoint checkpoint = store.checkpoint(session.id()).orElse(null);
            if (checkpoint == null || !run.isFollowed()) {
                return;
            }
            Experiment experiment = run.experiment();
            TrainedModel model = training.restore(experiment.network(), experiment.problem().inputShape(), checkpoint);
            if (model != null) {
                run.followModel(model, checkpoint.epoch());
            }
        }

        @Override
        public boolean followsRuns() {
            return recent.anyMatch(s -> s.run().isFollowed() && !s.run().status().isOver()
                    && s.run().askedWithin(RunFollower.UNREAD_NANOS));
        }

        @Override
        public List<Session> shownNotTrained() {
            return recent.sessions().stream().filter(s -> !active.containsKey(s.id())).toList();
        }

        @Override
        public Session trainedHere(String id) {
            return active.get(id);
        }

        @Override
        public boolean trainsAny() {
            return !active.isEmpty();
        }

        @Override
        public void reload(Session session) {
            synchronized (session) {
                store.find(session.id()).map(SessionService.this::restore).ifPresent(fresh -> session.replace(fresh.state()));
            }
        }

        @Override
        public void finishFollowed(Session session, List<EpochEvent> newer, long storedSeq,
                                   TrainingRun.Ending ending) {
            // the result and model when someone first asks for them (a deleted row: none; the next
            // round sees the deletion)
            Experiment experiment = session.run().experiment();
            session.run().follow(newer, storedSeq, ending, () -> store.find(session.id())
                    .map(row -> finished(row, experiment))
                    .map(finished -> new TrainingRun.Outcome(finished.result(), finished.model()))
                    .orElse(new TrainingRun.Outcome(null, null)));
        }

        @Override
        public void deletedElsewhere(Session session) {
            session.markDeleted();
            recent.remove(session.id());
        }

        @Override
        public void apply(Session session, String action) {
            carryOut(session, action);
        }
    }

    /** Whether {@code token} is this session's owner token. */
    public boolean isOwner(Session session, String token) {
        return OwnerTokens.matches(token, session.ownerHash());
    }

    public void stop(Session session) {
        if (session.run().isFollowed()) {
            if (!store.stopIfWaiting(session.id(), System.currentTimeMillis())) {
                store.requestControl(session.id(), "stop");
            }
            return;
        }
        training.stop(session.run());
    }

    /** Pauses a queued or running run after its epoch under way; a 409 for one that is over or paused. */
    public void pause(Session session) {
        TrainingRun run = session.run();
        RunStatus status = run.status();
        if (status != RunStatus.QUEUED && status != RunStatus.RUNNING || run.pauseRequested()) {
            throw new SessionStateException("error.cannotPause", status.id());
        }
        if (run.isFollowed()) {
            store.requestControl(session.id(), "pause");
            return;
        }
        training.pause(run);
    }

    /** A paused run goes on; a 409 for one that is not paused. */
    public void resume(Session session) {
        TrainingRun run = session.run();
        if (run.isFollowed()) { // what this node knows of it is its stored status
            if (run.status() != RunStatus.PAUSED) {
                throw new SessionStateException("error.notPaused", run.status().id());
            }
            if (!store.queueIfParked(session.id(), false, System.currentTimeMillis())) {
                store.requestControl(session.id(), "resume"); // the node that holds it resumes it
            }
            return;
        }
        if (run.status().isOver() || !run.pauseRequested()) {
            throw new SessionStateException("error.notPaused", run.status().id());
        }
        training.resume(run);
    }

    /** One epoch more, then paused (a running run pauses after its epoch under way); a 409 for one that is over. */
    public void step(Session session) {
        TrainingRun run = session.run();
        RunStatus status = run.status();
        if (status != RunStatus.QUEUED && status != RunStatus.RUNNING && status != RunStatus.PAUSED) {
            throw new SessionStateException("error.cannotStep", status.id());
        }
        if (run.isFollowed()) {
            if (status != RunStatus.PAUSED || !store.queueIfParked(session.id(), true, System.currentTimeMillis())) {
                store.requestControl(session.id(), "step"); // the node that holds it steps it
            }
            return;
        }
        training.step(run);
    }

    /** What the run's model (the trained one, else the latest while it trains) answers over the request's grid. */
    public Surfaces.Grid surface(Session session, SurfaceRequest request) {
        TrainingRun.LiveModel live = session.run().live();
        if (live == null) {
            throw new InvalidSpecException("", "error.notTrainedYet");
        }
        return Surfaces.compute(session.run().experiment(), live.model(), live.epoch(), request);
    }

    public void rename(Session session, String name) {
        String stored = checkedName(name);
        store.rename(session.id(), stored);
        session.rename(stored);
    }

    /** A session's name without its surrounding spaces, null when empty; too long is a 400 on {@code name}. */
    private static String checkedName(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw new InvalidSpecException("name", "error.nameTooLong", trimmed.length(), MAX_NAME_LENGTH);
        }
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Stops the run if it is going, and removes the session, its history and (unless shared) its data. */
    public void delete(Session session) {
        if (session.run().isFollowed() && !store.stopIfWaiting(session.id(), System.currentTimeMillis())) {
            store.requestControl(session.id(), "delete"); // the node that trains it deletes it, and this one follows
            return;
        }
        synchronized (session) {
            training.stop(session.run());
            recorder.untrack(session);
            store.delete(session.id());
            session.markDeleted();
            active.remove(session.id());
            recent.remove(session.id());
        }
    }

    public int queuePosition(Session session) {
        TrainingRun run = session.run();
        if (run.isFollowed() && run.status() == RunStatus.QUEUED) { // waiting in the store (or queued on its node)
            if (waitingPositions.size() > 10_000) {
                waitingPositions.clear();
            }
            return waitingPositions.compute(session.id(), (id, known) -> known != null
                    && System.nanoTime() - known.atNanos() < WAITING_POSITION_NANOS ? known
                    : new WaitingPosition(store.waitingPosition(id), System.nanoTime())).position();
        }
        waitingPositions.remove(session.id());
        return training.queuePosition(run);
    }

    /** A run's place among those waiting in the store for a worker, as read at a moment (read at most once a second). */
    private record WaitingPosition(int position, long atNanos) {
    }

    private static final long WAITING_POSITION_NANOS = 1_000_000_000L;
    private final Map<String, WaitingPosition> waitingPositions = new ConcurrentHashMap<>();

    /** About how many seconds a queued session will wait; 0 when it is not waiting. */
    public long estimatedWaitSeconds(Session session) {
        return training.estimatedWaitSeconds(session.run());
    }

    /**
     * Listings of the given sessions for "My sessions", newest first; unknown ids are left out. Read
     * from the store: a session in training shows what the recorder has written (at most one interval old).
     */
    public List<SessionListing> listings(List<String> ids) {
        return store.listings(ids);
    }

    /** The CSV text the session trains on (a built-in data set's own text for built-in data). */
    public String csv(Session session) {
        SessionSpec spec = session.spec();
        if (!spec.data().isBuiltIn()) {
            return spec.data().csv();
        }
        ResolvedData builtIn = resolve(spec.data());
        String stored = session.state().dataHash();
        // the data set as it is now, unless it changed since the session stored it
        return builtIn.hash().equals(stored) ? builtIn.csv()
                : store.data(stored).orElseThrow(() -> new IllegalStateException("the data " + stored + " is missing"));
    }

    /** Writes the trained network in the backend's file format; the run must have a result. */
    public void writeModel(Session session, OutputStream out) throws IOException {
        TrainingRun run = session.run();
        if (run.result() == null) {
            throw new SessionStateException("error.notTrainedYet");
        }
        training.writeModel(session.spec().network(), session.spec().training(),
                run.experiment().problem().inputCount(), run.result().weights(), out);
    }

    /** Predictions in original units; each row must have one value per input column. */
    public double[][] predict(Session session, double[][] inputs) {
        int expected = session.run().experiment().problem().rawInputNames().size();
        for (int r = 0; r < inputs.length; r++) {
            if (inputs[r].length != expected) {
                throw new InvalidSpecException("inputs", "error.predictWidth", r + 1, inputs[r].length, expected);
            }
            for (double value : inputs[r]) {
                if (!Double.isFinite(value)) {
                    throw new InvalidSpecException("inputs", "error.predictNotFinite", r + 1);
                }
            }
        }
        if (session.run().live() == null) {
            throw new InvalidSpecException("inputs", "error.notTrainedYet");
        }
        return session.run().predict(inputs);
    }

    /**
     * The session's trained model scored on rows it never saw ({@code heldOutCsv}: a header with
     * its columns, then the rows), in original units: see {@link sinapsis.training.Results#heldOut}.
     * Only for a run that is over with a model.
     */
    public Map<String, Double> evaluate(Session session, String heldOutCsv) {
        TrainingRun run = session.run();
        if (!run.status().isOver() || run.model() == null) {
            throw new SessionStateException("error.notTrainedYet");
        }
        Problem heldOut = ProblemBuilder.heldOut(parser.parse(heldOutCsv), run.experiment().problem());
        return sinapsis.training.Results.heldOut(heldOut, run.predict(heldOut.x()));
    }

    /**
     * Called with every session whose row names a challenge once its run is over and stored on this
     * node (its attempt is scored): the write that ends a run says so, and no other run's end reads
     * the challenges' attempts.
     */
    public void onChallengeRunOver(java.util.function.Consumer<Session> listener) {
        challengeRunOver.add(listener);
    }

    /** Writes what is pending to the store; running sessions become interrupted at the next start. */
    @Override
    public void close() {
        if (follower != null) {
            follower.close();
        }
        recorder.close();
    }

    private ResolvedData resolve(DataSpec data) {
        if (data.isBuiltIn()) {
            BuiltInDataset dataset = dataset(data.dataset());
            if (dataset.images()) {
                ImageSet images = datasets.images().require(dataset.id());
                int trainingRows = data.trainingRows();
                if (trainingRows == 0 && images.trainCount() > limits.maxRows()) {
                    throw new InvalidSpecException("data.trainingRows", "error.tooManyImages", images.trainCount(),
                            limits.maxRows());
                }
                String name = "image set " + dataset.id() + " " + images.contentHash() + " training rows "
                        + trainingRows;
                return new ResolvedData(name, null, images, Math.min(trainingRows == 0 ? images.trainCount()
                        : trainingRows, limits.maxRows()), Hashes.sha256(name), images.testCount());
            }
            String hash = builtInHashes.computeIfAbsent(dataset.id(), id -> Hashes.sha256(dataset.csv()));
            return ResolvedData.ofTable(dataset.csv(), dataset.table(), hash);
        }
        return ResolvedData.ofTable(data.csv(), parser.parse(data.csv()), Hashes.sha256(data.csv()));
    }

    private static StoredSession stored(String id, String ownerHash, String name, RunStatus status, SessionSpec spec,
                                        String dataHash, long createdAt) {
        DataSpec data = spec.data();
        return new StoredSession(id, ownerHash, name, new Ending(status, null, 0, 0),
                data.isBuiltIn() ? data.dataset() : null, dataHash, data.inputs(), data.targets(), spec.network(),
                spec.training(), null, createdAt, 0, null, null, data.trainingRows(), data.features());
    }

    /**
     * A target column of numbers with a few text cells in it ("cuatro" among the 3,2 and 5,3) is a
     * typo to fix, not a column of classes, unless the person said classification: refused naming
     * the cells, whichever loss was chosen.
     */
    private static void checkStrayText(Table table, List<String> targets, LossKind loss, Task task) {
        if (loss.isClassification() && task == Task.CLASSIFICATION) {
            return;
        }
        for (String target : targets) {
            int index = table.columnIndex("data.targets", target);
            List<Table.TextCell> stray = table.strayTextCells(index, TableSummary.MAX_STRAY);
            if (!stray.isEmpty()) {
                throw new InvalidSpecException("data.targets", "error.strayText", target,
                        String.join(", ", stray.stream().map(c -> "\"" + c.text() + "\"").toList()),
                        String.join(", ", stray.stream().map(c -> String.valueOf(c.line())).toList()));
            }
        }
    }

    public BuiltInDataset dataset(String id) {
        return datasets.find(id).orElseThrow(() -> new InvalidSpecException("data.dataset", "error.unknownDataset", id));
    }

    private Experiment experiment(SessionSpec spec, ResolvedData resolved) {
        return experiment(spec, resolved, new java.util.HashMap<>());
    }

    /** @param problems problems already built from this data, by what they depend on; added to */
    private Experiment experiment(SessionSpec spec, ResolvedData resolved, Map<List<Object>, Problem> problems) {
        DataSpec data = spec.data();
        List<String> inputs = data.inputs();
        List<String> targets = data.targets();
        if (data.isBuiltIn()) {
            BuiltInDataset dataset = dataset(data.dataset());
            inputs = inputs.isEmpty() ? dataset.inputs() : inputs;
            targets = targets.isEmpty() ? dataset.targets() : targets;
        }
        Optional<Integer> side = resolved.images() != null ? Optional.of(resolved.images().side())
                : ImageLayout.side(resolved.table());
        if (side.isPresent() && inputs.isEmpty()) { // an image set: every pixel in, the label out
            inputs = ImageLayout.pixelColumns(side.get());
            targets = targets.isEmpty() ? List.of(ImageLayout.LABEL) : targets;
        }
        if (inputs.isEmpty()) {
            throw new InvalidSpecException("data.inputs", "error.noInputs");
        }
        boolean images = side.isPresent() && inputs.equals(ImageLayout.pixelColumns(side.get()));
        if (!images && spec.network().hasImageLayers()) {
            throw new InvalidSpecException("network.layers", "error.imageNetworkOnTable");
        }
        LossKind loss = spec.training().loss();
        if (!images && resolved.table() != null) {
            checkStrayText(resolved.table(), targets, loss, spec.training().task());
        }
        checkOutputActivation(spec, loss);
        if (!data.features().isEmpty() && (images || inputs.size() != 2)) {
            throw new InvalidSpecException("data.features", "error.featuresNeedTwoInputs", inputs.size());
        }
        InputShape shape = images ? InputShape.image(side.get(), side.get(), 1)
                : InputShape.flat(inputs.size() + data.features().size());
        limits.check(spec.network(), spec.training(), shape);
        int outputUnits = spec.network().output().units();
        List<String> problemInputs = inputs;
        List<String> problemTargets = targets;
        Problem problem = problems.computeIfAbsent(List.of(resolved.hash(), inputs, targets, loss.isClassification(),
                outputUnits, images), key -> {
                    if (images && resolved.images() != null && problemTargets.equals(List.of(ImageLayout.LABEL))
                            && loss.isClassification()) {
                        return resolved.images().problem(resolved.trainingRows(), outputUnits);
                    }
                    Problem built = ProblemBuilder.build(resolved.asTable(), problemInputs, problemTargets,
                            loss.isClassification(), outputUnits);
                    return images ? built.asImages(side.get(), resolved.testRows()) : built;
                });
        Experiment experiment = new Experiment(problem.withFeatures(data.features()).limitFitRows(data.trainingRows()),
                spec.network(), spec.training());
        limits.checkBatch(spec.network(), spec.training(), shape, experiment.trainRows(),
                problem.fitRows() - experiment.trainRows());
        return experiment;
    }

    /** Cross-entropy needs probabilities: softmax over several units, or sigmoid on one. */
    private static void checkOutputActivation(SessionSpec spec, LossKind loss) {
        if (!loss.isClassification()) {
            return;
        }
        LayerSpec.Dense output = spec.network().output();
        Activation needed = output.units() == 1 ? Activation.SIGMOID : Activation.SOFTMAX;
        if (output.activation() != needed) {
            throw new InvalidSpecException("network.layers[" + (spec.network().layers().size() - 1) + "].activation",
                    "error.crossEntropyActivation", output.activation().id(), needed.id(), output.units());
        }
    }
}
