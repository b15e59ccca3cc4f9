package sinapsis;

import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.JoinThrottle;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.ImageSets;
import sinapsis.model.Limits;
import sinapsis.search.SearchService;
import sinapsis.session.Retention;
import sinapsis.session.SessionService;
import sinapsis.store.Database;
import sinapsis.store.ClassStore;
import sinapsis.store.DatabaseConfig;
import sinapsis.store.H2Import;
import sinapsis.store.SearchStore;
import sinapsis.store.SessionStore;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.Nd4jTrainer;
import sinapsis.web.WebServer;

/**
 * The only wiring: reads the environment, builds the objects and starts the server.
 * {@code PORT} (7070), {@code DATA_DIR} (./data: the SQLite database; an H2 one of earlier versions is imported once), {@code DATABASE_URL} (+ {@code _USER},
 * {@code _PASSWORD}: PostgreSQL instead), {@code PUBLIC_URL} (for QR codes), {@code WORKERS} (one per core),
 * {@code ND4J_THREADS} (threads inside one ND4J operation, 1), {@code SINAPSIS_RETENTION_DAYS} (off) and the limits
 * ({@code SINAPSIS_MAX_*}, see {@link Limits}).
 */
public final class App {
    public static final String VERSION = "0.1.0";
    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("PORT", "7070"));
        Path dataDir = Path.of(env.getOrDefault("DATA_DIR", "data"));
        Files.createDirectories(dataDir);
        int workers = Integer.parseInt(env.getOrDefault("WORKERS",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        Limits limits = Limits.fromEnvironment(env);

        DatabaseConfig databaseConfig = DatabaseConfig.fromEnvironment(env, dataDir);
        Database database = Database.open(databaseConfig);
        if (database.isSqlite()) {
            H2Import.ifPresent(dataDir, database);
        }
        SessionStore store = new SessionStore(database);
        Duration historyInterval = Duration.ofMillis(Long.parseLong(env.getOrDefault("HISTORY_FLUSH_MS", "250")));

        int threadsPerOperation = Integer.parseInt(env.getOrDefault("ND4J_THREADS", "1"));
        java.time.Duration slice = Duration.ofMillis(Long.parseLong(env.getOrDefault("TIME_SLICE_MS",
                String.valueOf(TrainingService.DEFAULT_SLICE.toMillis()))));
        TrainingService training = new TrainingService(new Nd4jTrainer(threadsPerOperation), workers, slice, limits);
        BuiltInDatasets datasets = BuiltInDatasets.load(ImageSets.fromEnvironment(env, dataDir));
        SessionService sessions = new SessionService(datasets, limits, training, store, historyInterval);
        Duration slowViewerTimeout = Duration.ofSeconds(Long.parseLong(env.getOrDefault("SLOW_VIEWER_SECONDS",
                String.valueOf(WebServer.Dependencies.SLOW_VIEWER_TIMEOUT.toSeconds()))));
        SearchService searches = new SearchService(sessions, new SearchStore(database), SearchService.TICK);
        ClassService classes = new ClassService(new ClassStore(database), sessions,
                JoinThrottle.standard());
        Javalin app = WebServer.create(new WebServer.Dependencies(sessions, searches, classes, datasets, VERSION,
                env.get("PUBLIC_URL"), slowViewerTimeout));
        int retentionDays = Integer.parseInt(env.getOrDefault("SINAPSIS_RETENTION_DAYS", "0").trim());
        Retention retention = retentionDays > 0 ? new Retention(sessions, database, retentionDays).start() : null;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (retention != null) {
                retention.close();
            }
            app.stop();
            searches.close();
            training.close();
            sessions.close();
            database.close();
        }));
        app.start(port);
        LOG.info("Sinapsis {} on http://localhost:{} ({} training workers, {} backend, database {})", VERSION, port,
                workers, training.backend().backend(), databaseConfig.describe());
    }
}
