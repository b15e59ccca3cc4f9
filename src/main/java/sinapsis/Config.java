package sinapsis;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import sinapsis.classroom.JoinThrottle;
import sinapsis.cluster.Role;
import sinapsis.model.Limits;
import sinapsis.store.DatabaseConfig;

/**
 * Every setting of a server, read once from the environment. The variables, their defaults and
 * their ranges are listed here only ({@link Variable}); a value out of range or not a number stops
 * the start with a message naming the variable and the value. The about page shows the settings.
 *
 * @param fashionMnistDir a local copy of Fashion-MNIST (never written to), or null: downloaded to
 *                        {@code dataDir/fashion-mnist} from {@code fashionMnistUrl}, each file checked
 *                        against {@code fashionMnistSha256} (the official files' by default)
 * @param role            what this node does (see {@link Role}); {@code web} and {@code worker} need PostgreSQL
 * @param nodeLease       how long after its last heartbeat a node sharing the database counts as gone
 *                        and its runs are reclaimed (PostgreSQL; see {@code sinapsis.cluster.Cluster})
 */
public record Config(int port, Path dataDir, String publicUrl, int workers, int nd4jThreads, Duration historyFlush,
                     Duration timeSlice, Duration slowViewerTimeout, int retentionDays, Limits limits,
                     DatabaseConfig database, Path fashionMnistDir, String fashionMnistUrl,
                     Map<String, String> fashionMnistSha256, JoinThrottle.Policy joins, Duration nodeLease,
                     Role role) {
    public static final String DEFAULT_FASHION_MNIST_URL = sinapsis.data.FashionMnist.DEFAULT_BASE_URL;

    /** An environment variable the server reads: its name, its default (as text) and its range. */
    public enum Variable {
        PORT("7070", 0, 65_535),
        DATA_DIR("data"),
        PUBLIC_URL(""),
        WORKERS(String.valueOf(Runtime.getRuntime().availableProcessors()), 1, 256),
        ND4J_THREADS("1", 1, 64),
        HISTORY_FLUSH_MS("250", 10, 60_000),
        TIME_SLICE_MS(String.valueOf(sinapsis.training.TrainingService.DEFAULT_SLICE.toMillis()), 1, 3_600_000),
        SLOW_VIEWER_SECONDS(String.valueOf(sinapsis.web.WebServer.Dependencies.SLOW_VIEWER_TIMEOUT.toSeconds()), 1, 3_600),
        SINAPSIS_RETENTION_DAYS("0", 0, 36_500),
        SINAPSIS_ROLE("all"),
        SINAPSIS_NODE_LEASE_MS(String.valueOf(sinapsis.store.Database.DEFAULT_LEASE.toMillis()), 500, 600_000),
        DATABASE_URL(""),
        DATABASE_USER(""),
        DATABASE_PASSWORD(""),
        FASHION_MNIST_DIR(""),
        FASHION_MNIST_URL(DEFAULT_FASHION_MNIST_URL),
        SINAPSIS_MAX_PASTE_BYTES(Limits.defaults().maxPasteBytes(), Limits::maxPasteBytes),
        SINAPSIS_MAX_ROWS(Limits.defaults().maxRows(), Limits::maxRows),
        SINAPSIS_MAX_COLUMNS(Limits.defaults().maxColumns(), Limits::maxColumns),
        SINAPSIS_MAX_PARAMETERS((int) Limits.defaults().maxParameters(), l -> (int) l.maxParameters()),
        SINAPSIS_MAX_EPOCHS(Limits.defaults().maxEpochs(), Limits::maxEpochs),
        SINAPSIS_MAX_CREATED_PER_MINUTE(Limits.defaults().maxCreatedPerMinute(), Limits::maxCreatedPerMinute),
        SINAPSIS_MAX_QUEUED(Limits.defaults().maxQueued(), Limits::maxQueued),
        SINAPSIS_MAX_SESSIONS_PER_STUDENT(Limits.defaults().maxSessionsPerStudent(), Limits::maxSessionsPerStudent),
        SINAPSIS_MAX_RUNNING_PER_STUDENT(Limits.defaults().maxRunningPerStudent(), Limits::maxRunningPerStudent),
        SINAPSIS_MAX_QUEUED_PER_STUDENT(Limits.defaults().maxQueuedPerStudent(), Limits::maxQueuedPerStudent),
        SINAPSIS_MAX_BATCH_MB(Limits.defaults().maxBatchMegabytes(), Limits::maxBatchMegabytes),
        SINAPSIS_MAX_RUNS_PER_CLIENT(Limits.defaults().maxRunsPerClient(), Limits::maxRunsPerClient),
        SINAPSIS_MAX_SPACE_MB(Limits.defaults().maxSpaceMegabytes(), Limits::maxSpaceMegabytes);

        private final String fallback;
        private final long min;
        private final long max;
        /** For a limit: its value in a {@link Limits}; null for the others. */
        private final Function<Limits, Integer> ofLimits;

        Variable(String fallback) {
            this(fallback, Long.MIN_VALUE, Long.MAX_VALUE, null);
        }

        Variable(String fallback, long min, long max) {
            this(fallback, min, max, null);
        }

        /** A limit: at least 1 (the {@link Limits} record checks each one's own lower bound). */
        Variable(int fallback, Function<Limits, Integer> ofLimits) {
            this(String.valueOf(fallback), 1, Integer.MAX_VALUE, ofLimits);
        }

        Variable(String fallback, long min, long max, Function<Limits, Integer> ofLimits) {
            this.fallback = fallback;
            this.min = min;
            this.max = max;
            this.ofLimits = ofLimits;
        }

        public String fallback() {
            return fallback;
        }

        /** The variable's text in {@code env}, or its default when unset or blank. */
        String text(Map<String, String> env) {
            String value = env.get(name());
            return value == null || value.isBlank() ? fallback : value.strip();
        }

        /** The variable as a whole number within its range. */
        int integer(Map<String, String> env) {
            String text = text(env);
            long value;
            try {
                value = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name() + " must be a whole number, found '" + text + "'", e);
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(name() + " must be between " + min + " and " + max + ", found "
                        + value);
            }
            return (int) value;
        }
    }

    public Config {
        check("PORT", port, 0, 65_535);
        check("WORKERS", workers, 1, 256);
        check("ND4J_THREADS", nd4jThreads, 1, 64);
        check("SINAPSIS_RETENTION_DAYS", retentionDays, 0, 36_500);
        positive("HISTORY_FLUSH_MS", historyFlush);
        positive("TIME_SLICE_MS", timeSlice);
        positive("SLOW_VIEWER_SECONDS", slowViewerTimeout);
        positive("SINAPSIS_NODE_LEASE_MS", nodeLease);
        if (role == null) {
            throw new IllegalArgumentException("SINAPSIS_ROLE is required, found null");
        }
        if (role != Role.ALL && database != null && database.isSqlite()) {
            throw new IllegalArgumentException("SINAPSIS_ROLE=" + role.id() + " needs a database the nodes share: set"
                    + " DATABASE_URL to a PostgreSQL (the embedded SQLite store serves one process, SINAPSIS_ROLE=all)");
        }
        if (dataDir == null || limits == null || database == null || joins == null) {
            throw new IllegalArgumentException("dataDir, limits, database and joins are required, found " + dataDir
                    + ", " + limits + ", " + database + ", " + joins);
        }
        publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip();
        fashionMnistUrl = fashionMnistUrl == null || fashionMnistUrl.isBlank() ? DEFAULT_FASHION_MNIST_URL
                : fashionMnistUrl;
        fashionMnistSha256 = Map.copyOf(fashionMnistSha256 == null ? sinapsis.data.FashionMnist.OFFICIAL_SHA256
                : fashionMnistSha256);
    }

    /** A server on {@code port} keeping its data in {@code dataDir}, everything else as by default. */
    public static Config defaults(int port, Path dataDir) {
        return fromEnvironment(Map.of(Variable.PORT.name(), String.valueOf(port),
                Variable.DATA_DIR.name(), dataDir.toString()));
    }

    /** Reads every variable of {@link Variable} from {@code env} (the process's environment, say). */
    public static Config fromEnvironment(Map<String, String> env) {
        Path dataDir = Path.of(Variable.DATA_DIR.text(env));
        String local = Variable.FASHION_MNIST_DIR.text(env);
        return new Config(Variable.PORT.integer(env), dataDir, Variable.PUBLIC_URL.text(env),
                Variable.WORKERS.integer(env), Variable.ND4J_THREADS.integer(env),
                Duration.ofMillis(Variable.HISTORY_FLUSH_MS.integer(env)),
                Duration.ofMillis(Variable.TIME_SLICE_MS.integer(env)),
                Duration.ofSeconds(Variable.SLOW_VIEWER_SECONDS.integer(env)),
                Variable.SINAPSIS_RETENTION_DAYS.integer(env), limits(env),
                DatabaseConfig.of(Variable.DATABASE_URL.text(env), Variable.DATABASE_USER.text(env),
                        Variable.DATABASE_PASSWORD.text(env), dataDir),
                local.isEmpty() ? null : Path.of(local), Variable.FASHION_MNIST_URL.text(env), null,
                JoinThrottle.Policy.STANDARD, Duration.ofMillis(Variable.SINAPSIS_NODE_LEASE_MS.integer(env)),
                Role.parse(Variable.SINAPSIS_ROLE.text(env)));
    }

    private static Limits limits(Map<String, String> env) {
        return new Limits(Variable.SINAPSIS_MAX_PASTE_BYTES.integer(env), Variable.SINAPSIS_MAX_ROWS.integer(env),
                Variable.SINAPSIS_MAX_COLUMNS.integer(env), Variable.SINAPSIS_MAX_PARAMETERS.integer(env),
                Variable.SINAPSIS_MAX_EPOCHS.integer(env), Variable.SINAPSIS_MAX_CREATED_PER_MINUTE.integer(env),
                Variable.SINAPSIS_MAX_QUEUED.integer(env), Variable.SINAPSIS_MAX_SESSIONS_PER_STUDENT.integer(env),
                Variable.SINAPSIS_MAX_RUNNING_PER_STUDENT.integer(env),
                Variable.SINAPSIS_MAX_QUEUED_PER_STUDENT.integer(env), Variable.SINAPSIS_MAX_BATCH_MB.integer(env),
                Variable.SINAPSIS_MAX_RUNS_PER_CLIENT.integer(env), Variable.SINAPSIS_MAX_SPACE_MB.integer(env));
    }

    /** Every variable and the value this server runs with (the database password left out), for the about page. */
    public Map<String, String> shown() {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put(Variable.PORT.name(), String.valueOf(port));
        shown.put(Variable.DATA_DIR.name(), dataDir.toString());
        shown.put(Variable.PUBLIC_URL.name(), publicUrl == null ? "—" : publicUrl);
        shown.put(Variable.WORKERS.name(), String.valueOf(workers));
        shown.put(Variable.ND4J_THREADS.name(), String.valueOf(nd4jThreads));
        shown.put(Variable.HISTORY_FLUSH_MS.name(), String.valueOf(historyFlush.toMillis()));
        shown.put(Variable.TIME_SLICE_MS.name(), String.valueOf(timeSlice.toMillis()));
        shown.put(Variable.SLOW_VIEWER_SECONDS.name(), String.valueOf(slowViewerTimeout.toSeconds()));
        shown.put(Variable.SINAPSIS_RETENTION_DAYS.name(), retentionDays == 0 ? "—" : String.valueOf(retentionDays));
        shown.put(Variable.SINAPSIS_ROLE.name(), role.id());
        shown.put(Variable.SINAPSIS_NODE_LEASE_MS.name(), String.valueOf(nodeLease.toMillis()));
        shown.put(Variable.DATABASE_URL.name(), database.describe());
        shown.put(Variable.FASHION_MNIST_DIR.name(), fashionMnistDir == null ? "—" : fashionMnistDir.toString());
        shown.put(Variable.FASHION_MNIST_URL.name(), fashionMnistUrl);
        for (Variable variable : Variable.values()) {
            if (variable.ofLimits != null) {
                shown.put(variable.name(), String.valueOf(variable.ofLimits.apply(limits)));
            }
        }
        return shown;
    }

    public Config withLimits(Limits newLimits) {
        return new Config(port, dataDir, publicUrl, workers, nd4jThreads, historyFlush, timeSlice, slowViewerTimeout,
                retentionDays, newLimits, database, fashionMnistDir, fashionMnistUrl, fashionMnistSha256, joins, nodeLease, role);
    }

    public Config withWorkers(int newWorkers) {
        return new Config(port, dataDir, publicUrl, newWorkers, nd4jThreads, historyFlush, timeSlice,
                slowViewerTimeout, retentionDays, limits, database, fashionMnistDir, fashionMnistUrl, fashionMnistSha256, joins, nodeLease, role);
    }

    public Config withDatabase(DatabaseConfig newDatabase) {
        return new Config(port, dataDir, publicUrl, workers, nd4jThreads, historyFlush, timeSlice, slowViewerTimeout,
                retentionDays, limits, newDatabase, fashionMnistDir, fashionMnistUrl, fashionMnistSha256, joins, nodeLease, role);
    }

    public Config withTimes(Duration newHistoryFlush, Duration newTimeSlice, Duration newSlowViewerTimeout) {
        return new Config(port, dataDir, publicUrl, workers, nd4jThreads, newHistoryFlush, newTimeSlice,
                newSlowViewerTimeout, retentionDays, limits, database, fashionMnistDir, fashionMnistUrl, fashionMnistSha256, joins, nodeLease, role);
    }

    /** Fashion-MNIST from a local copy ({@code newLocalDir}), or when null downloaded from {@code newUrl}. */
    public Config withFashionMnist(Path newLocalDir, String newUrl, Map<String, String> newSha256) {
        return new Config(port, dataDir, publicUrl, workers, nd4jThreads, historyFlush, timeSlice, slowViewerTimeout,
                retentionDays, limits, database, newLocalDir, newUrl, newSha256, joins, nodeLease, role);
    }

    public Config withJoins(JoinThrottle.Policy newJoins) {
        return new Config(port, dataDir, publicUrl, workers, nd4jThreads, historyFlush, timeSlice, slowViewerTimeout,
                retentionDays, limits, database, fashionMnistDir, fashionMnistUrl, fashionMnistSha256, newJoins, nodeLease, role);
    }

    public Config withNodeLease(Duration newNodeLease) {
        return new Config(port, dataDir, publicUrl, workers, nd4jThreads, historyFlush, timeSlice, slowViewerTimeout,
                retentionDays, limits, database, fashionMnistDir, fashionMnistUrl, fashionMnistSha256, joins, newNodeLease, role);
    }

    public Config withRole(Role newRole) {
        return new Config(port, dataDir, publicUrl, workers, nd4jThreads, historyFlush, timeSlice, slowViewerTimeout,
                retentionDays, limits, database, fashionMnistDir, fashionMnistUrl, fashionMnistSha256, joins, nodeLease,
                newRole);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", found " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, found " + value);
        }
    }
}
