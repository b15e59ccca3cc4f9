package sinapsis;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import sinapsis.challenge.ChallengeService;
import sinapsis.classroom.ClassService;
import sinapsis.cluster.Cluster;
import sinapsis.classroom.JoinThrottle;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.ImageSets;
import sinapsis.json.SpecJson;
import sinapsis.search.SearchService;
import sinapsis.session.Retention;
import sinapsis.session.SessionService;
import sinapsis.store.ChallengeStore;
import sinapsis.store.ClassStore;
import sinapsis.store.ClientEventStore;
import sinapsis.store.Database;
import sinapsis.store.H2Import;
import sinapsis.store.SearchStore;
import sinapsis.store.SessionStore;
import sinapsis.throttle.RecentEvents;
import sinapsis.training.Trainer;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.Nd4jTrainer;
import sinapsis.web.WebServer;

/**
 * The one composition root: a whole server built from a {@link Config} and started — the
 * database (an H2 file of earlier versions imported once), training, sessions, searches, classes,
 * the web server and retention. {@code App}, the test server and the benchmark all start it here.
 */
public final class Sinapsis implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Sinapsis.class);
    /** How long a clean stop waits for its runs to reach a checkpoint and go back to the queue. */
    private static final java.time.Duration HAND_BACK_AT_STOP = java.time.Duration.ofSeconds(5);
    private final Config config;
    private final Database database;
    private final Cluster cluster;
    private final TrainingService training;
    private final BuiltInDatasets datasets;
    private final SessionService sessions;
    private final SearchService searches;
    private final Javalin app;
    private final Retention retention;

    private Sinapsis(Config config, Trainer trainer) {
        this.config = config;
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create DATA_DIR " + config.dataDir(), e);
        }
        database = Database.open(config.database(), config.nodeLease());
        if (database.isSqlite()) {
            H2Import.ifPresent(config.dataDir(), database);
        }
        // the node's row first: on a shared database, others then see it alive before it holds anything
        cluster = Cluster.join(database, new Cluster.Registration(config.role().id(), hostName(), trainer.backend(),
                config.role().trains() ? config.workers() : 0, App.VERSION, System.currentTimeMillis()));
        training = new TrainingService(trainer, config.workers(), config.timeSlice(), config.limits());
        datasets = BuiltInDatasets.load(ImageSets.of(config.fashionMnistDir(), config.dataDir(),
                config.fashionMnistUrl(), config.fashionMnistSha256()));
        sessions = new SessionService(datasets, config.limits(), training, new SessionStore(database, config.role().trains()),
                config.historyFlush());
        SpecJson specs = new SpecJson(id -> datasets.find(id).map(BuiltInDataset::suggested).orElse(null));
        searches = new SearchService(sessions, new SearchStore(database, config.role().trains()),
                new sinapsis.search.GridExpansion(specs), SearchService.TICK);
        ClassService classes = new ClassService(new ClassStore(database), sessions,
                new JoinThrottle(config.joins(), clientEvents(database, "join-failed", config.joins().window())), specs);
        ChallengeService challenges = new ChallengeService(new ChallengeStore(database), classes, sessions, specs);
        app = WebServer.create(new WebServer.Dependencies(sessions, searches, classes, challenges, datasets, specs,
                App.VERSION,
                config.publicUrl(), config.slowViewerTimeout(), config.shown(), cluster::view,
                clientEvents(database, "created", WebServer.Dependencies.CREATION_WINDOW)));
        retention = config.retentionDays() > 0 ? new Retention(sessions, database, config.retentionDays()).start() : null;
        app.start(config.port());
    }

    /**
     * What clients did lately, for their limits: counted in the database on one that other nodes
     * share (the limits are then the cluster's), else in this process's memory.
     */
    private static RecentEvents clientEvents(Database database, String kind, java.time.Duration window) {
        return database.isShared() ? new ClientEventStore(database, kind, window) : RecentEvents.inMemory(window);
    }

    /** A server that trains with ND4J ({@code ND4J_THREADS} threads inside an operation). */
    public static Sinapsis start(Config config) {
        return start(config, new Nd4jTrainer(config.nd4jThreads()));
    }

    /** A server that trains with {@code trainer} (a test's slow or failing one, say). */
    public static Sinapsis start(Config config, Trainer trainer) {
        return new Sinapsis(config, trainer);
    }

    /** The port it listens on (the one it was given by the system when the config said 0). */
    public int port() {
        return app.port();
    }

    public Config config() {
        return config;
    }

    public SessionService sessions() {
        return sessions;
    }

    public TrainingService training() {
        return training;
    }

    public BuiltInDatasets datasets() {
        return datasets;
    }

    public Database database() {
        return database;
    }

    public Cluster cluster() {
        return cluster;
    }

    /**
     * Stops serving, then the searches, training, sessions (their last history written), this
     * node's place in the cluster (what it still held interrupted) and the database.
     */
    @Override
    public void close() {
        if (retention != null) {
            retention.close();
        }
        int handedBack = sessions.handBackAll(HAND_BACK_AT_STOP);
        if (handedBack > 0) {
            LOG.info("{} run(s) went back to the queue for the other nodes", handedBack);
        }
        app.stop();
        searches.close();
        training.close();
        sessions.close();
        cluster.close();
        database.close();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
