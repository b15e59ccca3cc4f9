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
