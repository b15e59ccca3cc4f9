package sinapsis.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sinapsis.App;
import sinapsis.store.Database;
import sinapsis.store.DatabaseConfig;

/**
 * Several processes on one PostgreSQL (issue 17): a class of 30 students' 1→3→3→1 runs (1000
 * epochs each) created through a {@code web} node, trained by one {@code worker} process pinned to
 * one core, then by two pinned to one core each — the throughput of each and their ratio; the
 * database's commits per 1000 epochs; and how long an epoch takes from the worker that trains it
 * to a viewer connected to the web node (p50/p95); and where a class's time went on each worker (by
 * the store's start and end of each run: how long a run took, the time between runs, the idle tail);
 * and, between the classes, what the machine itself gives two processes at once — for a kernel that
 * touches only registers ({@link CoreSpin}) and for the workers' own training with nothing else
 * ({@link TrainingSpin}), the ceiling the ratio is to be read against.
 * Both configurations run on the same three
 * nodes, warmed up together: the timed classes alternate (1 and 2 workers, then 2 and 1, …), and
 * for a lone worker's class the second worker is frozen ({@code SIGSTOP}, between two of its
 * transactions) so it uses no CPU, then thawed. Each pair of neighbouring classes thus ran under the
 * same conditions of this shared machine, whose speed drifts by a third within minutes; the
 * ratio printed is the median of the pairs' ratios. Needs a PostgreSQL: {@code SINAPSIS_BENCH_DATABASE_URL}
 * (+ {@code _USER}, {@code _PASSWORD}), else the test one ({@code SINAPSIS_TEST_DATABASE_URL}, which
 * {@code src/scripts/bench} starts as the test command does) — on this machine (Linux: {@code taskset},
 * {@code kill}).
 */
public final class ClusterBench {
    private static final int STUDENTS = 30;
    /**
     * Warm-up classes a worker (trained by both workers together: twice as many classes). Code that
     * runs once a run (claiming, restoring, storing) reaches the JIT's optimising tier only after
     * hundreds of runs: with 6 a worker the compiler threads still took 0.04–0.37 CPU-seconds a class
     * on each node during the timed classes (counted once with one worker, twice with two); with 25,
     * mostly under 0.05 — a server that has taught for a few minutes.
     */
    private static final int WARM_UP_CLASSES = Integer.parseInt(System.getenv().getOrDefault(
            "SINAPSIS_BENCH_WARM_UP_CLASSES", "25"));
    /**
     * Timed classes a configuration, alternating with the other's on the same nodes: the medians are
     * printed, with every class (on a shared 2-core machine a single class varies by a few tenths of
     * a second).
     */
    private static final int TIMED_CLASSES = Integer.parseInt(System.getenv().getOrDefault(
            "SINAPSIS_BENCH_TIMED_CLASSES", "11"));
    /** Extra JVM flags for every node the bench starts (to try one), split on spaces. */
    private static final List<String> NODE_FLAGS = List.of(System.getenv().getOrDefault("SINAPSIS_BENCH_NODE_FLAGS", "")
            .trim().split("\\s+")).stream().filter(f -> !f.isEmpty()).toList();
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final ObjectMapper JSON = sinapsis.json.Json.mapper();
    /** A student's run, as the classroom bench starts it. */
    private static final String CLASS_RUN = ClassroomBench.SPEC;
    private static final String WATCHED_RUN = """
            {"data": {"dataset": "celsius"}, "training": {"epochs": 200, "pace": 20}}""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final DatabaseConfig base;

    private ClusterBench(DatabaseConfig base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        String prefix = System.getenv("SINAPSIS_BENCH_DATABASE_URL") != null ? "SINAPSIS_BENCH_DATABASE_"
                : "SINAPSIS_TEST_DATABASE_";
        String url = System.getenv(prefix + "URL");
        if (url == null || url.isBlank()) {
            System.out.println("cluster: skipped (no PostgreSQL: set SINAPSIS_BENCH_DATABASE_URL, or run src/scripts/bench,"
                    + " which starts the test one)");
            return;
        }
        new ClusterBench(new DatabaseConfig(url, System.getenv(prefix + "USER"), System.getenv(prefix + "PASSWORD")))
                .run();
    }

    /**
     * One server process, the port it answers on and its folder (its data and log), removed once it
     * has stopped: a node that fails to start keeps it, for its log.
     */
    private record Node(Process process, int port, Path dir) {
        void stop() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            try (var inside = Files.walk(dir)) {
                for (Path path : inside.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /** The name the second worker's connections give PostgreSQL, to find them in {@code pg_stat_activity}. */
    private static final String FROZEN_WORKER = "sinapsis-bench-second-worker";

    /**
     * Every process the bench starts, ended when its JVM ends, also when it is stopped with
     * {@code kill} (SIGTERM) or Ctrl-C: such a bench left its nodes running, idle but heartbeating,
     * on the cores the next bench measured (two of them, for three runs of 2026-12-07). A
     * {@code kill -9} still leaves them.
     */
    private static final List<Process> STARTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    static {
        // SIGKILL: it ends a frozen (SIGSTOPped) node too, which SIGTERM would not until thawed
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly),
                "cluster-bench-processes"));
    }

    /** Starts a process the bench ends with itself (see {@link #STARTED}). */
    private static Process started(ProcessBuilder builder) throws java.io.IOException {
        Process process = builder.start();
        STARTED.add(process);
        return process;
    }

    private Node start(DatabaseConfig database, String role, int core, String applicationName) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = Files.createTempDirectory("sinapsis-cluster-bench-" + role);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (core >= 0) {
            command.addAll(List.of("taskset", "-c", String.valueOf(core)));
        }
        command.addAll(List.of(java, "-Xmx1g", "-XX:+UseSerialGC", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0"));
        command.addAll(NODE_FLAGS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), App.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        String url = applicationName == null ? database.url()
                : database.url() + (database.url().contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
        builder.environment().putAll(Map.of("PORT", String.valueOf(port), "DATA_DIR", dir.toString(),
                "DATABASE_URL", url, "DATABASE_USER", database.user(), "DATABASE_PASSWORD",
                database.password(), "SINAPSIS_ROLE", role, "WORKERS", "1",
                "SINAPSIS_MAX_CREATED_PER_MINUTE", "100000", "SINAPSIS_MAX_RUNS_PER_CLIENT", "1000"));
        builder.redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
        Node node = new Node(started(builder), port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                if (get(node, "/api/health").has("cluster")) {
                    return node;
                }
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline || !node.process().isAlive()) {
                    throw new IllegalStateException("a " + role + " node did not start (log: " + dir + "/server.log)");
                }
                Thread.sleep(100);
            }
        }
    }

    private JsonNode get(Node node, String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.port()
                + path)).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    /**
     * Creates a session through a node, as a student's browser would: with {@link java.net.HttpURLConnection}
     * (kept alive between calls), which here took a third to a quarter of the CPU {@link HttpClient}
     * did for the same 30 requests — the bench stands for 30 browsers on other machines, and its own
     * work is on the cores being measured.
     */
    private static String create(Node node, String spec) throws Exception {
        var connection = (java.net.HttpURLConnection) URI.create("http://localhost:" + node.port() + "/api/sessions")
                .toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(20_000);
        connection.setRequestProperty("Content-Type", "application/json");
        try (var out = connection.getOutputStream()) {
            out.write(spec.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        int status = connection.getResponseCode();
        try (var in = status == 201 ? connection.getInputStream() : connection.getErrorStream()) {
            String body = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (status != 201) {
                throw new IllegalStateException("creating a session: " + status + " " + body);
            }
            return JSON.readTree(body).get("id").asText();
        }
    }

    private void run() throws Exception {
        Result[] both = alternatingClasses();
        Result one = both[0];
        Result two = both[1];
        TimedClass oneMedian = one.median();
        TimedClass twoMedian = two.median();
        System.out.printf(Locale.ROOT, "cluster: %d students × 1→3→3→1 (1000 epochs) created through a web node, "
                        + "trained by worker processes pinned to one core each (%d cores here), %d classes each, "
                        + "alternating on the same nodes: 1 worker %.2f s (median; %.1f runs/s; %s), 2 workers %.2f s "
                        + "(%.1f runs/s; %s): %.2f× the throughput, the median of the neighbouring pairs' ratios "
                        + "(target ≥ 1.8×; pairs %s; %.2f× from the medians)%n",
                STUDENTS, Runtime.getRuntime().availableProcessors(), TIMED_CLASSES, oneMedian.seconds(),
                STUDENTS / oneMedian.seconds(), one.spread(TimedClass::seconds), twoMedian.seconds(),
                STUDENTS / twoMedian.seconds(), two.spread(TimedClass::seconds),
                Result.pairedMedian(one, two, TimedClass::seconds), Result.pairs(one, two, TimedClass::seconds),
                oneMedian.seconds() / twoMedian.seconds());
        System.out.printf(Locale.ROOT, "  as the store has them (the first run's creation to the last run's end, without "
                        + "the bench's notice of the end): 1 worker %.2f s (median; %s), "
                        + "2 workers %.2f s (%s): %.2f× (pairs %s)%n", one.median(TimedClass::storedSeconds),
                one.spread(TimedClass::storedSeconds), two.median(TimedClass::storedSeconds),
                two.spread(TimedClass::storedSeconds), Result.pairedMedian(one, two, TimedClass::storedSeconds),
                Result.pairs(one, two, TimedClass::storedSeconds));
        System.out.printf(Locale.ROOT, "  database: %.0f transactions per 1000 epochs trained with 1 worker, %.0f with 2 "
                        + "(the median classes; each query outside a transaction counts as one: every node's heartbeat, "
                        + "claims, history batches, follower rounds, the bench's own watch of the store); the nodes' "
                        + "statements per batch of epochs stored: %.1f with 1 worker (%d statements, %d batches), %.1f "
                        + "with 2 (%d, %d) — every statement of every node while the class trained (each node's count, "
                        + "from its /api/health), its sessions' creation included%n",
                oneMedian.commitsPerThousandEpochs(), twoMedian.commitsPerThousandEpochs(),
                oneMedian.statementsPerBatch(), oneMedian.statements(), oneMedian.epochBatches(),
                twoMedian.statementsPerBatch(), twoMedian.statements(), twoMedian.epochBatches());
        System.out.printf(Locale.ROOT, "  CPU seconds while the median class trained (of which the JIT compiler's "
                + "threads): 1 worker: %s; 2 workers: %s%n", oneMedian.cpu(), twoMedian.cpu());
        System.out.printf(Locale.ROOT, "  where the median classes' time went, by the store's start and end of each run: "
                        + "1 worker: %s; 2 workers: %s — a run took %.0f%% longer from its start to its end in a pair "
                        + "(the median classes of each; every pair of neighbouring classes: %s)%n",
                oneMedian.describeParts(), twoMedian.describeParts(),
                100 * (twoMedian.millisARun() / oneMedian.millisARun() - 1), Result.runSlowdowns(one, two));
        System.out.printf(Locale.ROOT, "  epoch to viewer across nodes: a viewer on the web node gets an epoch %d ms "
                        + "(p50) / %d ms (p95) after a viewer on the worker that trains it (%d epochs at 20 a second)%n",
                two.latencyP50(), two.latencyP95(), two.latencySamples());
    }

    /** One timed class: its clock, its span in the store, the database's commits and each process's CPU. */
    private record TimedClass(double seconds, double storedSeconds, double commitsPerThousandEpochs, long statements,
                              long epochBatches, String cpu, List<WorkerPart> parts) {
        /** The nodes' statements over the batches of epochs the class's runs stored. */
        double statementsPerBatch() {
            return statements / (double) epochBatches;
        }

        /** How long a run took from its start to its end on a worker, over all of this class's runs (ms). */
        double millisARun() {
            return parts.stream().mapToLong(WorkerPart::training).sum()
                    / (double) parts.stream().mapToInt(WorkerPart::runs).sum();
        }

        String describeParts() {
            return String.format(Locale.ROOT, "a run %.0f ms from its start to its end; ", millisARun())
                    + String.join(" / ", parts.stream().map(WorkerPart::toString).toList());
        }
    }

    /**
     * One worker's part of a timed class, by the store's times of each of its runs (all from that
     * worker's clock but the first creation): how many runs it trained, when it started the first
     * after the class's first run was created, the time from each run's start to its end together,
     * the time between one run's end and its next one's start together (claiming it, building it),
     * and how long before the class's end its last run ended (idle while the other worker ended its
     * own). Milliseconds.
     */
    private record WorkerPart(int runs, long firstStart, long training, long between, long idleAtEnd) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d runs (the first %d ms after the class's first creation, %d ms "
                    + "between runs, idle %d ms at the end)", runs, firstStart, between, idleAtEnd);
        }
    }

    /**
     * The statements these nodes have sent to the database so far, each as its {@code /api/health}
     * says (counted before that answer's own three, which the next reading counts).
     */
    private long statementsSoFar(List<Node> nodes) throws Exception {
        long statements = 0;
        for (Node node : nodes) {
            statements += get(node, "/api/health").get("databaseStatements").asLong();
        }
        return statements;
    }

    /** How many batches of epochs (rows of {@code epoch_batches}) the runs of these sessions stored. */
    private static long epochBatches(Database database, List<String> ids) throws java.sql.SQLException {
        return rowsOf(database, "SELECT COUNT(*) FROM epoch_batches WHERE session_id = ANY(?)", ids,
                row -> row.getLong(1)).get(0);
    }

    /** A row's values, read from its result set. */
    private interface RowReader<T> {
        T read(java.sql.ResultSet row) throws java.sql.SQLException;
    }

    /**
     * The rows of a query whose one parameter is these sessions' ids, on a connection of its own
     * (plain JDBC: the stores keep their handles to themselves).
     */
    private static <T> List<T> rowsOf(Database database, String sql, List<String> ids, RowReader<T> reader)
            throws java.sql.SQLException {
        DatabaseConfig config = database.config();
        List<T> rows = new ArrayList<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(config.url(), config.user(),
                config.password()); java.sql.PreparedStatement query = connection.prepareStatement(sql)) {
            query.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
            try (java.sql.ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(reader.read(result));
                }
            }
        }
        return rows;
    }

    /** One run of a timed class as the store has it: the node that trained it, its creation, start and end (ms). */
    private record StoredRun(String node, long created, long started, long finished) {
        /** The runs of these sessions, by start, read once after their class. */
        static List<StoredRun> of(Database database, List<String> ids) throws java.sql.SQLException {
            return rowsOf(database, "SELECT node_id, created_at, started_at, finished_at FROM sessions"
                            + " WHERE id = ANY(?) ORDER BY started_at", ids,
                    row -> new StoredRun(row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4)));
        }

        /** Seconds from the first run's creation to the last one's end. */
        static double span(List<StoredRun> runs) {
            return (runs.stream().mapToLong(StoredRun::finished).max().orElse(0)
                    - runs.stream().mapToLong(StoredRun::created).min().orElse(0)) / 1000.0;
        }

        /** Each worker's part of the class (see {@link WorkerPart}). */
        static List<WorkerPart> parts(List<StoredRun> runs) {
            long firstCreated = runs.stream().mapToLong(StoredRun::created).min().orElse(0);
            long classEnd = runs.stream().mapToLong(StoredRun::finished).max().orElse(0);
            List<WorkerPart> parts = new ArrayList<>();
            for (String node : runs.stream().map(StoredRun::node).distinct().sorted().toList()) {
                List<StoredRun> its = runs.stream().filter(run -> run.node().equals(node)).toList(); // by start
                long between = 0;
                for (int n = 1; n < its.size(); n++) {
                    between += Math.max(0, its.get(n).started() - its.get(n - 1).finished());
                }
                parts.add(new WorkerPart(its.size(), its.get(0).started() - firstCreated,
                        its.stream().mapToLong(run -> run.finished() - run.started()).sum(), between,
                        classEnd - its.get(its.size() - 1).finished()));
            }
            return parts;
        }
    }

    private record Result(List<TimedClass> classes, long latencyP50, long latencyP95, int latencySamples) {
        /** The class of median clock time. */
        TimedClass median() {
            List<TimedClass> sorted = classes.stream()
                    .sorted(java.util.Comparator.comparingDouble(TimedClass::seconds)).toList();
            return sorted.get(sorted.size() / 2);
        }

        double median(java.util.function.ToDoubleFunction<TimedClass> figure) {
            double[] sorted = classes.stream().mapToDouble(figure).sorted().toArray();
            return sorted[sorted.length / 2];
        }

        /** Every class's figure, in the order they ran ("2.61, 2.70, 2.55 s"). */
        String spread(java.util.function.ToDoubleFunction<TimedClass> figure) {
            return String.join(", ", classes.stream().map(c -> String.format(Locale.ROOT, "%.2f",
                    figure.applyAsDouble(c))).toList()) + " s";
        }

        /** One worker's n-th class over two workers' n-th, for every n (the two ran one after the other). */
        static double[] ratios(Result one, Result two, java.util.function.ToDoubleFunction<TimedClass> figure) {
            return java.util.stream.IntStream.range(0, Math.min(one.classes().size(), two.classes().size()))
                    .mapToDouble(n -> figure.applyAsDouble(one.classes().get(n))
                            / figure.applyAsDouble(two.classes().get(n))).toArray();
        }

        static double pairedMedian(Result one, Result two, java.util.function.ToDoubleFunction<TimedClass> figure) {
            double[] sorted = java.util.Arrays.stream(ratios(one, two, figure)).sorted().toArray();
            return sorted.length == 0 ? 0 : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        }

        /** How much longer a run took in each pair's class than in the lone worker's beside it ("+18, +22%"). */
        static String runSlowdowns(Result one, Result two) {
            return String.join(", ", java.util.stream.IntStream.range(0, Math.min(one.classes().size(),
                            two.classes().size()))
                    .mapToObj(n -> String.format(Locale.ROOT, "%+.0f", 100 * (two.classes().get(n).millisARun()
                            / one.classes().get(n).millisARun() - 1))).toList()) + "%";
        }

        /** Every pair's ratio, in the order they ran ("1.71, 1.83, 1.80×"). */
        static String pairs(Result one, Result two, java.util.function.ToDoubleFunction<TimedClass> figure) {
            return String.join(", ", java.util.Arrays.stream(ratios(one, two, figure))
                    .mapToObj(r -> String.format(Locale.ROOT, "%.2f", r)).toList()) + "×";
        }
    }

    /** User and system CPU seconds a process has used so far (Linux /proc; 0 elsewhere). */
    private static double cpuSeconds(long pid) {
        return cpuSeconds(Path.of("/proc", String.valueOf(pid), "stat"), "");
    }

    /** The CPU seconds in a /proc stat file, if its process or thread name contains {@code named}; else 0. */
    private static double cpuSeconds(Path statFile, String named) {
        try {
            String stat = Files.readString(statFile);
            if (!stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).contains(named)) {
                return 0;
            }
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0; // utime, stime in ticks
        } catch (java.io.IOException | RuntimeException e) {
            return 0; // a process or thread that ended meanwhile
        }
    }

    /**
     * The CPU seconds a process's JIT compiler threads have used so far (Linux /proc; 0 elsewhere).
     * The JVM starts and ends compiler threads as the work asks, and an ended one's seconds are no
     * longer counted: a difference of two readings may come out a little low (never below 0 here).
     */
    private static double compilerCpuSeconds(long pid) {
        try (var threads = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return threads.mapToDouble(thread -> cpuSeconds(thread.resolve("stat"), "CompilerThre")).sum();
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The CPU seconds all PostgreSQL processes of this machine have used so far. */
    private static double postgresCpuSeconds() {
        return ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").contains("postgres"))
                .mapToDouble(p -> cpuSeconds(p.pid())).sum();
    }

    /**
     * A web node and two workers; warm-up classes with both; then the timed classes, a lone
     * worker's and a pair's in turn (1, 2, then 2, 1, …, so that neither always goes first); then the
     * latency with both workers. The lone worker's classes freeze the second one.
     */
    private Result[] alternatingClasses() throws Exception {
        DatabaseConfig database = Database.freshSchema(base, "bench");
        List<Node> nodes = new ArrayList<>();
        try (Database stats = Database.open(database); AutoCloseable ends = listenForEnds(stats);
             TrainingSpins trainingSpins = new TrainingSpins()) {
            Node web = start(database, "web", -1, null);
            nodes.add(web);
            List<Node> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Node worker = start(database, "worker", w % Runtime.getRuntime().availableProcessors(),
                        w == 1 ? FROZEN_WORKER : null);
                nodes.add(worker);
                workers.add(worker);
            }
            // warm-up classes through the same path, both workers claiming some of each: each JVM's
            // first runs set up ND4J, and code that runs once a run (claiming, storing) reaches the
            // JIT's optimising tier only after many runs, so the timed classes measure throughput.
            // Both configurations then run on workers that have trained as many runs.
            for (int round = 0; round < WARM_UP_CLASSES * 2; round++) {
                long began = System.nanoTime();
                double[] jit = nodes.stream().mapToDouble(n -> compilerCpuSeconds(n.process().pid())).toArray();
                List<String> warmUp = new ArrayList<>();
                for (int s = 0; s < STUDENTS; s++) {
                    warmUp.add(create(web, CLASS_RUN));
                }
                awaitOver(stats, warmUp);
                System.out.printf(Locale.ROOT, "  (warm-up class %d, 2 workers: %.2f s, JIT %s)%n", round + 1,
                        (System.nanoTime() - began) / 1e9, jitSince(nodes, jit));
            }
            List<TimedClass> alone = new ArrayList<>();
            List<TimedClass> paired = new ArrayList<>();
            List<Double> spinRatios = new ArrayList<>();
            List<Double> trainingRatios = new ArrayList<>();
            for (int round = 0; round < TIMED_CLASSES; round++) {
                Thread.sleep(1000); // the last class's tail
                spinRatios.add(spinRatio()); // the machine's own two-process figures, now
                trainingRatios.add(trainingSpins.ratio());
                for (int turn = 0; turn < 2; turn++) {
                    if ((round + turn) % 2 == 0) {
                        freeze(workers.get(1), database);
                        try {
                            alone.add(timedClass(stats, web, nodes.subList(0, 2), 1));
                        } finally {
                            signal(workers.get(1), "CONT");
                        }
                    } else {
                        paired.add(timedClass(stats, web, nodes, 2));
                    }
                }
            }
            long[] latency = latency(stats, web, workers);
            System.out.printf(Locale.ROOT, "  this machine's own ceiling, between the classes: two CPU-bound processes "
                            + "pinned to a core each do %s the work of one alone (2.0 where both cores are its own); two "
                            + "processes that only train the class's run (the workers' trainer, in process: no server, no "
                            + "database), pinned the same way, %s%n", medianAndAll(spinRatios),
                    medianAndAll(trainingRatios));
            return new Result[] {new Result(alone, 0, 0, 0),
                    new Result(paired, latency[0], latency[1], (int) latency[2])};
        } finally {
            for (Node node : nodes) {
                try {
                    signal(node, "CONT"); // a frozen process would not act on SIGTERM
                } catch (IllegalStateException | java.io.IOException e) {
                    // it ended meanwhile: stop() below has nothing left to do either
                }
                node.stop();
            }
            for (String left : Database.dropSchemas(base, List.of(Database.schemaOf(database)))) {
                System.out.println("  (the bench's schema was left in place: " + left + ")");
            }
        }
    }

    /**
     * Stops a worker's process ({@code SIGSTOP}) at a moment none of its connections is inside a
     * transaction or a statement: frozen holding a row lock (a claim's {@code FOR UPDATE}), it would
     * keep the other worker from the rows it locked. Tries again, thawed, until it finds such a moment.
     */
    private static void freeze(Node worker, DatabaseConfig database) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            signal(worker, "STOP");
            Thread.sleep(20); // what the server was already running for it ends, or shows as a transaction left open
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(database.url(), database.user(),
                    database.password()); java.sql.PreparedStatement busy = connection.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND state <> 'idle'")) {
                busy.setString(1, FROZEN_WORKER);
                try (java.sql.ResultSet rows = busy.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) == 0) {
                        return;
                    }
                }
            }
            signal(worker, "CONT");
            Thread.sleep(7);
        }
        throw new IllegalStateException("the second worker was inside a transaction at every try to freeze it");
    }

    /** Sends a process a signal ({@code STOP}, {@code CONT}) with {@code kill}. */
    private static void signal(Node node, String signal) throws Exception {
        if (node.process().isAlive()
                && new ProcessBuilder("kill", "-" + signal, String.valueOf(node.process().pid())).start().waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + node.process().pid() + " failed");
        }
    }

    /** A class of {@link #STUDENTS} runs created through the web node, timed until the last one is over. */
    private TimedClass timedClass(Database stats, Node web, List<Node> nodes, int workers) throws Exception {
        Thread.sleep(1500); // the last class's tail (its nodes' end-of-run writes, PostgreSQL's statistics)
        long commitsBefore = stats.commitsSoFar();
        long statementsBefore = statementsSoFar(nodes);
        double[] cpuBefore = nodes.stream().mapToDouble(n -> cpuSeconds(n.process().pid())).toArray();
        double[] jitBefore = nodes.stream().mapToDouble(n -> compilerCpuSeconds(n.process().pid())).toArray();
        double postgresBefore = postgresCpuSeconds();
        double benchBefore = cpuSeconds(ProcessHandle.current().pid());
        long start = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int s = 0; s < STUDENTS; s++) {
            ids.add(create(web, CLASS_RUN));
        }
        awaitOver(stats, ids);
        double seconds = (System.nanoTime() - start) / 1e9;
        // read at once, the bench's own first: what reading the others costs it comes after
        double bench = cpuSeconds(ProcessHandle.current().pid()) - benchBefore;
        double[] cpuAfter = nodes.stream().mapToDouble(n -> cpuSeconds(n.process().pid())).toArray();
        double postgres = postgresCpuSeconds() - postgresBefore;
        StringBuilder cpu = new StringBuilder();
        for (int n = 0; n < nodes.size(); n++) {
            cpu.append(String.format(Locale.ROOT, "%s%s %.2f (JIT %.2f)", n == 0 ? "" : ", ", n == 0 ? "web" : "worker",
                    cpuAfter[n] - cpuBefore[n],
                    Math.max(0, compilerCpuSeconds(nodes.get(n).process().pid()) - jitBefore[n])));
        }
        cpu.append(String.format(Locale.ROOT, ", PostgreSQL %.2f, this bench (creating, watching the store) %.2f",
                postgres, bench));
        long statements = statementsSoFar(nodes) - statementsBefore;
        Thread.sleep(1500); // PostgreSQL's statistics lag a little
        double commits = (stats.commitsSoFar() - commitsBefore) * 1000.0 / (STUDENTS * 1000.0);
        List<StoredRun> runs = StoredRun.of(stats, ids);
        double stored = StoredRun.span(runs);
        TimedClass timed = new TimedClass(seconds, stored, commits, statements, epochBatches(stats, ids), cpu.toString(),
                StoredRun.parts(runs));
        System.out.printf(Locale.ROOT, "  (%d worker%s, timed class: %.2f s, %.2f s in the store; %s; %s)%n",
                workers, workers == 1 ? "" : "s", seconds, stored, cpu, timed.describeParts());
        return timed;
    }

    private static String jitSince(List<Node> nodes, double[] before) {
        StringBuilder text = new StringBuilder();
        for (int n = 0; n < nodes.size(); n++) {
            text.append(String.format(Locale.ROOT, "%s%.1f", n == 0 ? "" : "/",
                    Math.max(0, compilerCpuSeconds(nodes.get(n).process().pid()) - before[n])));
        }
        return text.toString();
    }

    /**
     * Waits for a class's runs to end, as the store has them: one query for those of them not over
     * yet once the workers have told of as many ends as there are runs left (each worker trains one
     * run at a time, so each of its notices of an end is one run's; heard on a connection of the
     * bench's own), and every second anyway, reading their rows by their key and nothing else. (Asking
     * the web node for each session, as the bench did before 2026-12-07, made it load, follow and
     * predict every run for the bench — a viewer asking every tenth of a second — on the cores the
     * workers are measured on; until later that day the bench asked the store every 20 ms for the
     * state the followers read, whose plan then read every row of the table: its watch was a third of
     * PostgreSQL's work; after that, it asked at every notice of an end: 30 queries a class.)
     */
    private void awaitOver(Database stats, List<String> ids) throws Exception {
        sinapsis.store.SessionStore store = new sinapsis.store.SessionStore(stats, false);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        java.util.Collection<String> going = ids;
        while (true) {
            runEnded.drainPermits(); // the ends told of from here on: of runs this query may still find going
            going = store.notOver(going);
            if (going.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runs did not end within 10 minutes");
            }
            runEnded.tryAcquire(going.size(), 1, TimeUnit.SECONDS);
        }
    }

    /** A permit for each notice of a run's end that a node sends (see {@link #awaitOver}). */
    private final java.util.concurrent.Semaphore runEnded = new java.util.concurrent.Semaphore(0);

    /** Hears the nodes' notices of runs' ends on a connection of its own, for the whole bench (one connection, opened once). */
    private AutoCloseable listenForEnds(Database stats) {
        return new sinapsis.store.SessionStore(stats, false).listen(kinds -> {
            int ended = (int) kinds.stream().filter(sinapsis.store.NodeNotifications.Kind.ENDED::equals).count();
            if (ended > 0) {
                runEnded.release(ended);
            }
        });
    }

    /** "1.98× (median; 1.97, 1.99, 1.98×)", the values in the order measured. */
    private static String medianAndAll(List<Double> ratios) {
        double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "%.2f× (median; %s×)", sorted[sorted.length / 2], String.join(", ",
                ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList()));
    }

    /**
     * Two {@link TrainingSpin} processes, pinned to core 0 and core 1, started once (ND4J's start
     * and their warm-up take seconds) and idle between measures: what this machine gives two
     * processes at once for the work the workers do, measured where the classes run.
     */
    private static final class TrainingSpins implements AutoCloseable {
        private final List<Process> processes = new ArrayList<>();
        private final List<java.io.BufferedReader> answers = new ArrayList<>();
        private final List<java.io.PrintWriter> commands = new ArrayList<>();
        private boolean ready;

        TrainingSpins() throws java.io.IOException {
            String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (int core = 0; core < 2; core++) {
                Process process = started(new ProcessBuilder("taskset", "-c", String.valueOf(core
                        % Runtime.getRuntime().availableProcessors()), javaCommand, "-XX:+UseSerialGC", "-Xmx256m",
                        "-Dorg.bytedeco.javacpp.maxphysicalbytes=0", "-cp", System.getProperty("java.class.path"),
                        TrainingSpin.class.getName()).redirectErrorStream(true));
                processes.add(process);
                answers.add(new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                        java.nio.charset.StandardCharsets.UTF_8)));
                commands.add(new java.io.PrintWriter(new java.io.OutputStreamWriter(process.getOutputStream(),
                        java.nio.charset.StandardCharsets.UTF_8), true));
            }
        }

        /** The epochs the two trained at once over the mean of what each trained alone, for the same time. */
        double ratio() throws java.io.IOException {
            if (!ready) {
                for (int n = 0; n < processes.size(); n++) {
                    answer(n, "ready");
                }
                ready = true;
            }
            long alone0 = count(0);
            long alone1 = count(1);
            for (java.io.PrintWriter command : commands) {
                command.println("count " + SPIN_MILLIS);
            }
            long both = Long.parseLong(answer(0, null)) + Long.parseLong(answer(1, null));
            return both / ((alone0 + alone1) / 2.0);
        }

        private long count(int n) throws java.io.IOException {
            commands.get(n).println("count " + SPIN_MILLIS);
            return Long.parseLong(answer(n, null));
        }

        /** The next line from process {@code n} that is {@code expected} (null: a count), past its log lines. */
        private String answer(int n, String expected) throws java.io.IOException {
            for (String line = answers.get(n).readLine(); line != null; line = answers.get(n).readLine()) {
                if (expected == null ? line.matches("\\d+") : line.equals(expected)) {
                    return line;
                }
            }
            throw new IllegalStateException("a training spin process ended early (exit "
                    + processes.get(n).onExit().join().exitValue() + ")");
        }

        @Override
        public void close() {
            commands.forEach(java.io.PrintWriter::close); // the end of their input ends them
            try {
                for (Process process : processes) {
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                }
            } catch (InterruptedException e) {
                processes.forEach(Process::destroyForcibly);
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long each {@link CoreSpin} counts. */
    private static final long SPIN_MILLIS = 1000;

    /**
     * What this machine gives two processes at once, measured where the classes run: a CPU-bound
     * {@link CoreSpin} pinned to core 0 alone, then one pinned to core 1 alone, then both at once;
     * the work of the two together over that of one alone (the mean of the two), 2.0 on a machine
     * whose two cores are its own. Called between classes, with the nodes idle.
     */
    private static double spinRatio() throws Exception {
        long alone0 = spins(0).get(0);
        long alone1 = spins(1).get(0);
        List<Long> both = spins(0, 1);
        return (both.get(0) + both.get(1)) / ((alone0 + alone1) / 2.0);
    }

    /** A {@link CoreSpin} pinned to each of these cores, started together: each one's count. */
    private static List<Long> spins(int... cores) throws Exception {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> spinning = new ArrayList<>();
        for (int core : cores) {
            spinning.add(new ProcessBuilder("taskset", "-c", String.valueOf(core % Runtime.getRuntime()
                    .availableProcessors()), javaCommand, "-XX:+UseSerialGC", "-Xmx64m", "-cp",
                    System.getProperty("java.class.path"), CoreSpin.class.getName(), String.valueOf(SPIN_MILLIS))
                    .redirectErrorStream(true).start());
        }
        List<Long> counts = new ArrayList<>();
        for (Process process : spinning) {
            String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("a spin process failed: " + out);
            }
            counts.add(Long.parseLong(out.trim().split("\\s+")[0]));
        }
        return counts;
    }

    /** When each epoch (by seq) reached a viewer on the web node, and a viewer on each worker: p50, p95, samples. */
    private long[] latency(Database stats, Node web, List<Node> workers) throws Exception {
        String id = create(web, WATCHED_RUN);
        Arrivals atWeb = new Arrivals();
        Arrivals atWorkers = new Arrivals();
        List<WebSocket> sockets = new ArrayList<>();
        sockets.add(watch(web, id, atWeb));
        for (Node worker : workers) {
            sockets.add(watch(worker, id, atWorkers));
        }
        awaitOver(stats, List.of(id));
        Thread.sleep(1000);
        sockets.forEach(WebSocket::abort);
        List<Long> delays = new ArrayList<>();
        for (Map.Entry<Long, Long> arrival : atWeb.millis.entrySet()) {
            Long first = atWorkers.millis.get(arrival.getKey());
            if (first != null) {
                delays.add(Math.max(0, arrival.getValue() - first));
            }
        }
        delays.sort(null);
        if (delays.isEmpty()) {
            System.out.printf(Locale.ROOT, "  (no epoch seen on both sides: %d on the web node, %d on the workers)%n",
                    atWeb.millis.size(), atWorkers.millis.size());
            return new long[3];
        }
        return new long[] {delays.get(delays.size() / 2), delays.get((int) Math.floor(delays.size() * 0.95)),
                delays.size()};
    }

    private WebSocket watch(Node node, String id, Arrivals arrivals) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + node.port() + "/ws/sessions/" + id),
                arrivals).get(10, TimeUnit.SECONDS);
    }

    /** The first time each epoch (by its seq) arrived at any of the sockets it listens to. */
    private static final class Arrivals implements WebSocket.Listener {
        final Map<Long, Long> millis = new ConcurrentHashMap<>();
        private final Map<WebSocket, StringBuilder> partial = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            StringBuilder text = partial.computeIfAbsent(socket, s -> new StringBuilder()).append(data);
            if (last) {
                long now = System.currentTimeMillis();
                if (text.indexOf("\"type\":\"reset\"") < 0) {
                    Matcher seq = SEQ.matcher(text);
                    while (seq.find()) {
                        millis.putIfAbsent(Long.parseLong(seq.group(1)), now);
                    }
                }
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }
}
