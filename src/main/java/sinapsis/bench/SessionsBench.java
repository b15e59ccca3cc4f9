package sinapsis.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sinapsis.Config;
import sinapsis.Sinapsis;
import sinapsis.data.BuiltInDatasets;
import sinapsis.model.Activation;
import sinapsis.model.DataSpec;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.OptimizerKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.SessionSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingRun;
import sinapsis.training.TrainingService;

/**
 * The sessions' own costs: training with the history written to the default SQLite file database
 * versus not stored at all, and one session watched by many WebSocket viewers.
 */
final class SessionsBench {
    private static final int VIEWERS = 300;
    private static final int LIVE_VIEWERS = 30;
    private static final int REPEATS = 5;

    private SessionsBench() {
    }

    static void run(BuiltInDatasets datasets) throws Exception {
        Path dir = Files.createTempDirectory("sinapsis-bench");
        // the server as the start command runs it (SQLite file, history every 250 ms), with one worker
        try (Sinapsis server = Sinapsis.start(Config.defaults(0, dir).withWorkers(1))) {
            SessionService sessions = server.sessions();
            System.out.println("persistence: history written to the SQLite file (WAL, synchronous=FULL) every "
                    + server.config().historyFlush().toMillis() + " ms, vs not stored; "
                    + "µs/epoch from submit to the end of training, median of " + REPEATS);
            persistence(sessions, server.training(), datasets, "celsius", 5000);
            persistence(sessions, server.training(), datasets, "spirals", 2000);
            viewers(sessions, server.port(), datasets);
            liveViews(sessions, server.port(), datasets);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** °C→°F with one linear neuron, or the spirals with 2→32→32→2, as the rest of the bench trains them. */
    private static SessionSpec spec(BuiltInDatasets datasets, String dataset, int epochs) {
        boolean spirals = dataset.equals("spirals");
        NetworkSpec network = spirals ? Bench.SPIRALS_NETWORK : NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR));
        TrainingSpec settings = spirals
                ? new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.02, epochs, 0, true, 42, 0, false)
                : new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.1, epochs, 0, true, 42, 0, false);
        return new SessionSpec(new DataSpec(null, datasets.find(dataset).orElseThrow().id(), List.of(), List.of()),
                network, settings);
    }

    private static void persistence(SessionService sessions, TrainingService training, BuiltInDatasets datasets,
                                    String dataset, int epochs) throws InterruptedException {
        SessionSpec spec = spec(datasets, dataset, epochs);
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Double> storedAfter = new ArrayList<>();
        Experiment experiment = null;
        for (int i = 0; i <= REPEATS; i++) {
            long start = System.nanoTime();
            Session session = sessions.create(spec).session();
            awaitEnd(session.run());
            long trained = System.nanoTime();
            if (experiment == null) {
                experiment = session.run().experiment();
            }
            String id = session.id();
            // fully stored: the session is no longer held as running and its listing shows every epoch
            while (sessions.listings(List.of(id)).get(0).epochCount() < epochs) {
                Thread.sleep(1);
            }
            long stored = System.nanoTime();
            long startOff = System.nanoTime();
            TrainingRun bare = training.submit(experiment);
            awaitEnd(bare);
            long endOff = System.nanoTime();
            if (i > 0) { // the first round warms up
                on.add((trained - start) / 1000.0 / epochs);
                off.add((endOff - startOff) / 1000.0 / epochs);
                storedAfter.add((stored - trained) / 1e6);
            }
        }
        double medianOn = Bench.median(on);
        double medianOff = Bench.median(off);
        System.out.printf(Locale.ROOT, "  %-9s %6d epochs: stored %.1f µs/epoch, not stored %.1f µs/epoch (%+.1f); "
                        + "last epoch written %.0f ms after the end%n", dataset, epochs, medianOn, medianOff,
                medianOn - medianOff, Bench.median(storedAfter));
    }

    private static void awaitEnd(TrainingRun run) throws InterruptedException {
        while (!run.status().isOver()) {
            Thread.sleep(0, 200_000);
        }
    }

    /** Counts the epochs a viewer receives (by their "seq" fields) without building JSON trees. */
    private static final class CountingViewer implements WebSocket.Listener {
        private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
        private final StringBuilder partial = new StringBuilder();
        volatile long received;
        volatile long lastSeq;
        volatile boolean duplicate;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (partial.indexOf("\"type\":\"reset\"") >= 0) {
                    received = 0;
                    lastSeq = 0;
                }
                Matcher matcher = SEQ.matcher(partial);
                while (matcher.find()) {
                    long seq = Long.parseLong(matcher.group(1));
                    duplicate |= seq <= lastSeq;
                    lastSeq = seq;
                    received++;
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    /** Counts a viewer's live frames (binary messages) and their bytes. */
    private static final class FrameCounter implements WebSocket.Listener {
        volatile long frames;
        volatile long characters;

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, java.nio.ByteBuffer data, boolean last) {
            characters += data.remaining();
            if (last) {
                frames++;
            }
            socket.request(1);
            return null;
        }
    }

    /**
     * What the live views cost the run: the spirals' 2→32→32→2 at full speed, watched by nobody and
     * by {@value #LIVE_VIEWERS} viewers who each get the diagram's weights and the 64×64 surface (with
     * the hidden units' thumbnails) at the default rate; µs per epoch, median of {@value #REPEATS}
     * alternating rounds.
     */
    private static void liveViews(SessionService sessions, int port, BuiltInDatasets datasets) throws Exception {
        int epochs = 4000;
        HttpClient http = HttpClient.newHttpClient();
        Session source = sessions.create(spec(datasets, "spirals", 1)).session();
        awaitEnd(source.run());
        Session watched = sessions.fork(source).session();
        // nobody; the viewers with the epochs only; the viewers with the live views too
        List<List<Double>> micros = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long[][] cpu = new long[3][];
        long frames = 0;
        long characters = 0;
        for (int round = 0; round <= REPEATS; round++) {
            for (int mode = 0; mode < 3; mode++) {
                List<WebSocket> sockets = new ArrayList<>();
                List<FrameCounter> counters = new ArrayList<>();
                for (int i = 0; mode > 0 && i < LIVE_VIEWERS; i++) {
                    FrameCounter counter = new FrameCounter();
                    counters.add(counter);
                    WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port
                            + "/ws/sessions/" + watched.id()), counter).get(10, TimeUnit.SECONDS);
                    if (mode == 1) {
                        socket.sendText("{\"type\": \"view\", \"live\": false}", true);
                    }
                    sockets.add(socket);
                }
                Thread.sleep(300);
                long[] before = ThreadCpu.byRole();
                long start = System.nanoTime();
                sessions.rerun(watched, spec(datasets, "spirals", epochs));
                awaitEnd(watched.run());
                long elapsed = System.nanoTime() - start;
                long[] after = ThreadCpu.byRole();
                Thread.sleep(300);
                sockets.forEach(WebSocket::abort);
                if (round > 0) { // the first round warms up
                    micros.get(mode).add(elapsed / 1000.0 / epochs);
                    cpu[mode] = ThreadCpu.shares(before, after, elapsed, cpu[mode]);
                    for (FrameCounter counter : counters) {
                        frames += counter.frames;
                        characters += counter.characters;
                    }
                }
            }
        }
        double nobody = Bench.median(micros.get(0));
        double epochsOnly = Bench.median(micros.get(1));
        double live = Bench.median(micros.get(2));
        long perViewer = frames / Math.max(1, (long) REPEATS * LIVE_VIEWERS);
        System.out.printf(Locale.ROOT, "live views: spirals 2→32→32→2 at full speed, %d epochs, µs/epoch (median of %d): "
                        + "%.1f watched by nobody, %.1f by %d viewers of the epochs (%+.1f %%), %.1f by %d viewers of "
                        + "the epochs, the diagram and the 64×64 surface (%+.1f %% over nobody, target ≤ +10 %%; "
                        + "%+.1f %% over the epochs alone)%n", epochs, REPEATS, nobody, epochsOnly, LIVE_VIEWERS,
                100 * (epochsOnly - nobody) / nobody, live, LIVE_VIEWERS, 100 * (live - nobody) / nobody,
                100 * (live - epochsOnly) / epochsOnly);
        System.out.printf(Locale.ROOT, "  each viewer got %d frames a run (%.1f a second), %.1f kB each; CPU while "
                        + "training, %% of one core (training / socket ticker / Jetty / the bench's own clients): "
                        + "nobody %s, epochs %s, live views %s%n", perViewer, perViewer / (live * epochs / 1e6),
                characters / 1024.0 / Math.max(1, frames), ThreadCpu.text(cpu[0], REPEATS),
                ThreadCpu.text(cpu[1], REPEATS), ThreadCpu.text(cpu[2], REPEATS));
    }

    /** CPU time by thread role: training, the session socket's ticker, Jetty, the JDK's WebSocket clients. */
    private static final class ThreadCpu {
        private static final String[] ROLES = {"trainer-run", "session-socket-ticker", "JettyServerThreadPool", "HttpClient"};

        static long[] byRole() {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long[] nanos = new long[ROLES.length];
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                for (int r = 0; r < ROLES.length; r++) {
                    if (info.getThreadName().startsWith(ROLES[r])) {
                        nanos[r] += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                    }
                }
            }
            return nanos;
        }

        /** Adds each role's share of one core over {@code elapsed} to {@code sum}. */
        static long[] shares(long[] before, long[] after, long elapsed, long[] sum) {
            long[] total = sum == null ? new long[ROLES.length] : sum;
            for (int r = 0; r < ROLES.length; r++) {
                total[r] += 1000 * Math.max(0, after[r] - before[r]) / elapsed; // per mille of one core
            }
            return total;
        }

        static String text(long[] perMille, int rounds) {
            StringBuilder out = new StringBuilder();
            for (int r = 0; r < perMille.length; r++) {
                out.append(r == 0 ? "" : "/").append(Math.round(perMille[r] / 10.0 / rounds));
            }
            return out.toString();
        }
    }

    private static void viewers(SessionService sessions, int port, BuiltInDatasets datasets) throws Exception {
        int epochs = 2000;
        HttpClient http = HttpClient.newHttpClient();
        List<WebSocket> sockets = new ArrayList<>();
        List<CountingViewer> viewers = new ArrayList<>();
        try {
            Session source = sessions.create(spec(datasets, "spirals", 1)).session();
            awaitEnd(source.run());
            Session watched = sessions.fork(source).session();
            for (int i = 0; i < VIEWERS; i++) {
                CountingViewer viewer = new CountingViewer();
                viewers.add(viewer);
                sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port
                        + "/ws/sessions/" + watched.id()), viewer).get(10, TimeUnit.SECONDS));
            }
            Thread.sleep(500);
            long start = System.nanoTime();
            sessions.rerun(watched, spec(datasets, "spirals", epochs));
            awaitEnd(watched.run());
            long trained = System.nanoTime();
            long deadline = trained + TimeUnit.SECONDS.toNanos(60);
            while (!viewers.stream().allMatch(v -> v.received == epochs) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long delivered = System.nanoTime();
            long complete = viewers.stream().filter(v -> v.received == epochs && !v.duplicate).count();
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "%d WebSocket viewers, one spirals session of %d epochs: trained in %.2f s; "
                            + "every epoch reached every viewer %.2f s after the start (%.0f ms after training ended); "
                            + "%d of %d viewers got all %d epochs exactly once%n", VIEWERS, epochs,
                    (trained - start) / 1e9, (delivered - start) / 1e9, (delivered - trained) / 1e6, complete, VIEWERS,
                    epochs);
            System.out.printf(Locale.ROOT, "  with %d viewers connected: heap used %d MB (after GC), RSS %s "
                            + "(server and the %d test clients in one JVM)%n", VIEWERS,
                    (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024), Bench.residentMemory(), VIEWERS);
        } finally {
            sockets.forEach(WebSocket::abort);
        }
    }
}
