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
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sinapsis.App;

/**
 * The classroom load test: a Sinapsis server in its own JVM (as the start script runs it), one
 * class of 30 students who each start the course's 1→3→3→1 network for 1000 epochs at the same
 * moment, 300 WebSocket viewers on their sessions (and the teacher's board), and a prober timing
 * {@code GET /} and {@code GET /api/sessions/{id}} throughout. Prints the time until all 30 finish
 * against the sum of single-run times, the p95 latencies, events lost, and the server's peak heap
 * and RSS.
 */
public final class ClassroomBench {
    static final int STUDENTS = 30;
    static final int VIEWERS = 300;
    static final int EPOCHS = 1000;
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final ObjectMapper JSON = sinapsis.json.Json.mapper();
    /** A student's run: the course's 1→3→3→1 on a small table, {@value #EPOCHS} epochs. */
    static final String SPEC = """
            {"data": {"csv": "x,y\\n-1,-2\\n-0.5,-0.9\\n0,0.1\\n0.5,1.1\\n1,1.9\\n1.5,3.2\\n2,3.9",
                      "inputs": ["x"], "targets": ["y"]},
             "network": {"layers": [{"units": 3, "activation": "relu"}, {"units": 3, "activation": "relu"},
                                    {"units": 1}]},
             "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": %d}}""".formatted(EPOCHS);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int port;

    private ClassroomBench() {
    }

    public static void main(String[] args) throws Exception {
        new ClassroomBench().run();
    }

    private void run() throws Exception {
        Path dataDir = Files.createTempDirectory("sinapsis-classroom-bench");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                "-cp", System.getProperty("java.class.path"), App.class.getName());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("DATA_DIR", dataDir.toString());
        builder.environment().remove("DATABASE_URL");
        builder.environment().put("SINAPSIS_MAX_CREATED_PER_MINUTE", "1000");
        builder.redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile());
        Process server = builder.start();
        try {
            awaitHealth();
            measure(server.pid());
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private void measure(long pid) throws Exception {
        // single runs, one at a time, for the reference time
        List<Double> singles = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = post("/api/sessions", SPEC, null).get("id").asText();
            JsonNode done = awaitEnd(id);
            singles.add((done.get("finishedAt").asLong() - done.get("startedAt").asLong()) / 1000.0);
        }
        Collections.sort(singles);
        double single = singles.get(singles.size() / 2);

        JsonNode classroom = post("/api/classes", "{\"name\": \"bench\"}", null);
        String code = classroom.get("code").asText();
        String teacherToken = classroom.get("teacherToken").asText();
        List<String> students = new ArrayList<>();
        for (int i = 0; i < STUDENTS; i++) {
            students.add(post("/api/classes/" + code + "/join", "{\"name\": \"student " + i + "\"}", null)
                    .get("studentToken").asText());
        }
        AtomicBoolean loaded = new AtomicBoolean(true);
        List<Long> rootMillis = Collections.synchronizedList(new ArrayList<>());
        List<Long> sessionMillis = Collections.synchronizedList(new ArrayList<>());
        AtomicLong peakHeap = new AtomicLong();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Thread prober = new Thread(() -> probe(loaded, ids, rootMillis, sessionMillis, peakHeap), "prober");

        long start = System.nanoTime();
        List<CompletableFuture<String>> starts = new ArrayList<>();
        for (String student : students) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("/api/sessions", SPEC, student).get("id").asText();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<String> started : starts) {
            ids.add(started.join());
        }
        prober.start();
        List<Viewer> viewers = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        // the teacher's board is one of the viewers; the others watch the students' sessions
        AtomicLong boardUpdates = new AtomicLong();
        sockets.add(http.newWebSocketBuilder().header("Cookie", "sinapsis_teacher=" + teacherToken)
                .buildAsync(URI.create("ws://localhost:" + port + "/ws/classes/" + code), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        if (last) {
                            boardUpdates.incrementAndGet();
                        }
                        socket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS));
        for (int v = 0; v < VIEWERS - 1; v++) {
            Viewer viewer = new Viewer();
            viewers.add(viewer);
            sockets.add(http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port
                    + "/ws/sessions/" + ids.get(v % STUDENTS)), viewer).get(10, TimeUnit.SECONDS));
        }
        long firstStart = Long.MAX_VALUE;
        long lastEnd = 0;
        for (String id : ids) {
            JsonNode done = awaitEnd(id);
            firstStart = Math.min(firstStart, done.get("createdAt").asLong());
            lastEnd = Math.max(lastEnd, done.get("finishedAt").asLong());
        }
        long allDone = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !viewers.stream().allMatch(v -> v.seqs.size() >= EPOCHS)) {
            Thread.sleep(50);
        }
        loaded.set(false);
        prober.join();
        long lost = 0;
        long repeated = 0;
        for (Viewer viewer : viewers) {
            lost += EPOCHS - viewer.seqs.size();
            repeated += viewer.repeated.get();
        }
        sockets.forEach(WebSocket::abort);
        double wall = (lastEnd - firstStart) / 1000.0;
        System.out.printf(Locale.ROOT, "classroom: %d students start the 1→3→3→1 network for %d epochs at once, "
                        + "%d WebSocket viewers (the teacher's board and session viewers), server in its own JVM "
                        + "(-Xmx1g, %s workers)%n", STUDENTS, EPOCHS,
                VIEWERS, JSON.readTree(get("/api/limits")).get("workers").asText());
        System.out.printf(Locale.ROOT, "  one run alone: %.3f s (median of 5); all %d finished %.2f s after the first "
                        + "was created = %.2f× the summed single-run time (%.2f s)%n", single, STUDENTS, wall,
                wall / (STUDENTS * single), STUDENTS * single);
        System.out.printf(Locale.ROOT, "  during the load: GET / p95 %d ms (%d requests), GET /api/sessions/{id} p95 "
                        + "%d ms (%d requests)%n", p95(rootMillis), rootMillis.size(), p95(sessionMillis),
                sessionMillis.size());
        System.out.printf(Locale.ROOT, "  events lost: %d, repeated: %d (of %d sent to viewers); every epoch reached "
                        + "every viewer %.2f s after the last run ended; the teacher's board got %d updates%n", lost,
                repeated, (long) (VIEWERS - 1) * EPOCHS, Math.max(0, (System.nanoTime() - allDone) / 1e9),
                boardUpdates.get());
        System.out.printf(Locale.ROOT, "  server: peak heap used %d MB (sampled), peak RSS %s%n", peakHeap.get(),
                peakRss(pid));
    }

    private void probe(AtomicBoolean loaded, List<String> ids, List<Long> root, List<Long> session, AtomicLong heap) {
        int i = 0;
        while (loaded.get()) {
            try {
                long t0 = System.nanoTime();
                get("/");
                root.add((System.nanoTime() - t0) / 1_000_000);
                long t1 = System.nanoTime();
                get("/api/sessions/" + ids.get(i++ % ids.size()) + "?history=false");
                session.add((System.nanoTime() - t1) / 1_000_000);
                heap.accumulateAndGet(JSON.readTree(get("/api/health")).get("heapUsedMb").asLong(), Math::max);
                Thread.sleep(20);
            } catch (Exception e) {
                return;
            }
        }
    }

    private static long p95(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.95) - 1));
    }

    private static String peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return (Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024) + " MB";
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** Counts distinct epochs and repeats per viewer. */
    private static final class Viewer implements WebSocket.Listener {
        final ConcurrentSkipListSet<Long> seqs = new ConcurrentSkipListSet<>();
        final AtomicLong repeated = new AtomicLong();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Matcher matcher = SEQ.matcher(partial);
                while (matcher.find()) {
                    if (!seqs.add(Long.parseLong(matcher.group(1)))) {
                        repeated.incrementAndGet();
                    }
                }
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    private void awaitHealth() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the server did not start");
    }

    private JsonNode awaitEnd(String id) throws Exception {
        while (true) {
            JsonNode session = JSON.readTree(get("/api/sessions/" + id + "?history=false"));
            if (!session.get("status").asText().matches("queued|running")) {
                return session;
            }
            Thread.sleep(20);
        }
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private JsonNode post(String path, String body, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
