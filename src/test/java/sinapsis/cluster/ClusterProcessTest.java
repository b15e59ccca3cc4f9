package sinapsis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import sinapsis.store.DatabaseConfig;
import sinapsis.support.Eventually;
import sinapsis.support.ServerProcess;
import sinapsis.support.TestDatabases;
import sinapsis.support.WsViewer;

/**
 * Two web nodes and two workers, each in its own JVM, on one PostgreSQL, as a school would run
 * them: a class's runs created through one web node are trained by the workers; the teacher's
 * stop-all through the other web node stops the runs held by both; a worker killed mid-run has its
 * run go on from its last checkpoint on the other (the history cut back to it), and a viewer whose
 * web node is killed resumes on the other with {@code ?since=N}, ending with every epoch once, in order.
 */
@Tag("cluster")
class ClusterProcessTest {
    private final List<ServerProcess> nodes = new ArrayList<>();
    private final List<WsViewer> viewers = new ArrayList<>();

    @AfterEach
    void stop() {
        viewers.forEach(v -> v.socket.abort());
        nodes.forEach(ServerProcess::close);
    }

    private ServerProcess[] start(DatabaseConfig database, String... roles) throws Exception {
        List<CompletableFuture<ServerProcess>> starting = new ArrayList<>();
        for (String role : roles) {
            Map<String, String> environment = new HashMap<>(Map.of("DATABASE_URL", database.url(),
                    "DATABASE_USER", database.user(), "DATABASE_PASSWORD", database.password(),
                    "SINAPSIS_NODE_LEASE_MS", "5000", "WORKERS", "1", "SINAPSIS_ROLE", role,
                    "SINAPSIS_MAX_CREATED_PER_MINUTE", "1000"));
            ServerProcess node = new ServerProcess(Files.createTempDirectory("sinapsis-" + role), environment);
            nodes.add(node);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return node.start();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        return starting.stream().map(CompletableFuture::join).toArray(ServerProcess[]::new);
    }

    private static String created(ServerProcess node, String body, String token) throws Exception {
        HttpResponse<String> answer = node.json("POST", "/api/sessions", body, token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return ServerProcess.body(answer).get("id").asText();
    }

    private static String joined(ServerProcess web, String code, String name) throws Exception {
        HttpResponse<String> answer = web.json("POST", "/api/classes/" + code + "/join", "{\"name\": \"" + name + "\"}",
                null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return ServerProcess.body(answer).get("studentToken").asText();
    }

    /** Which node holds the session's run, as the database says. */
    private static String holder(DatabaseConfig database, String id) throws Exception {
        return holder(database, "sessions", id);
    }

    /** Which node holds the row of {@code table} (sessions, searches), as the database says; "queue": none yet. */
    private static String holder(DatabaseConfig database, String table, String id) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             PreparedStatement query = connection.prepareStatement("SELECT node_id FROM " + table + " WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static String nodeId(ServerProcess node) throws Exception {
        return ServerProcess.body(node.get("/api/health")).get("node").asText();
    }

    /** The sequence numbers the viewer got after its last reset, in order. */
    private static List<Long> seqs(WsViewer viewer) {
        List<Long> seqs = new ArrayList<>();
        for (JsonNode message : viewer.messages) {
            if ("reset".equals(message.path("type").asText())) {
                seqs.clear();
            }
            message.path("events").forEach(event -> seqs.add(event.get("seq").asLong()));
        }
        return seqs;
    }

    /** The epoch after which the node's log says it went on with the session's run (0: it has not). */
    private static int resumedAfter(ServerProcess node, String id) {
        try {
            java.util.regex.Matcher resumed = java.util.regex.Pattern.compile(
                    "session " + java.util.regex.Pattern.quote(id) + ": goes on after epoch (\\d+)")
                    .matcher(Files.readString(node.log()));
            return resumed.find() ? Integer.parseInt(resumed.group(1)) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** How many times the viewer's chart was told to start over (a run replaced by the store's). */
    private static long resets(WsViewer viewer) {
        return viewer.messages.stream().filter(m -> "reset".equals(m.path("type").asText())).count();
    }

    private static boolean saw(WsViewer viewer, String status) {
        return viewer.messages.stream().anyMatch(m -> status.equals(m.at("/status/status").asText()));
    }

    @Test
    void aSchoolsClusterTrainsStopsAndSurvivesAWorkerAndAWebNodeDying() throws Exception {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        ServerProcess[] started = start(database, "web", "web", "worker", "worker");
        ServerProcess webA = started[0];
        ServerProcess webB = started[1];
        ServerProcess[] workers = {started[2], started[3]};
        JsonNode cluster = ServerProcess.body(webB.get("/api/health")).get("cluster");
        assertThat(cluster.get("nodes").findValuesAsText("role")).containsExactlyInAnyOrder("web", "web", "worker",
                "worker");
        assertThat(cluster.get("slots").asInt()).isEqualTo(2);

        // a class: two long runs created through web node A, one on each worker
        HttpResponse<String> classroom = webA.json("POST", "/api/classes", "{\"name\": \"Redes\"}", null);
        assertThat(classroom.statusCode()).as(classroom.body()).isEqualTo(201);
        String code = ServerProcess.body(classroom).get("code").asText();
        String teacher = ServerProcess.body(classroom).get("teacherToken").asText();
        String spirals = "{\"data\": {\"dataset\": \"spirals\"}, \"training\": {\"epochs\": 60000}}";
        String ana = created(webA, spirals, joined(webA, code, "Ana"));
        String beto = created(webA, spirals, joined(webA, code, "Beto"));
        Eventually.waitFor("both runs to train", Duration.ofSeconds(60),
                () -> "running".equals(webB.sessionStatus(ana)) && "running".equals(webB.sessionStatus(beto)));
        assertThat(holder(database, ana)).isNotEqualTo(holder(database, beto))
                .isIn(nodeId(workers[0]), nodeId(workers[1]));

        // the teacher's stop-all, through web node B, stops the runs both workers hold
        HttpResponse<String> stopped = webB.json("POST", "/api/classes/" + code + "/stop", "", teacher);
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
        assertThat(ServerProcess.body(stopped).get("stopped").asInt()).isEqualTo(2);
        Eventually.waitFor("both runs to stop", Duration.ofSeconds(20),
                () -> "stopped".equals(webA.sessionStatus(ana)) && "stopped".equals(webA.sessionStatus(beto)));

        // a short run watched over web node B; its worker dies mid-run
        String carla = created(webA, "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 150, "
                + "\"pace\": 25}}", joined(webA, code, "Carla"));
        WsViewer onB = new WsViewer(webB.port(), "/ws/sessions/" + carla);
        viewers.add(onB);
        // past its first checkpoint (every third of the 5 s lease) and the write that stores it
        try {
            Eventually.waitFor("epochs over B's socket", Duration.ofSeconds(30), () -> seqs(onB).size() >= 70);
        } catch (AssertionError e) { // what each node saw, to tell where it stuck
            StringBuilder seen = new StringBuilder(e.getMessage()).append(": status ").append(webB.sessionStatus(carla))
                    .append(", held by ").append(holder(database, carla)).append(", ").append(seqs(onB).size())
                    .append(" epochs in ").append(onB.messages.size()).append(" messages");
            for (ServerProcess node : started) {
                seen.append("\n--- ").append(node.log()).append('\n').append(ServerProcess.tail(node.log(), 15));
            }
            throw new AssertionError(seen.toString(), e);
        }
        String first = holder(database, carla);
        ServerProcess dying = nodeId(workers[0]).equals(first) ? workers[0] : workers[1];
        ServerProcess surviving = dying == workers[0] ? workers[1] : workers[0];
        long resets = resets(onB);
        dying.kill();
        Eventually.waitFor("the other worker to go on with it", Duration.ofSeconds(60), () -> {
            try {
                return nodeId(surviving).equals(holder(database, carla)) && resumedAfter(surviving, carla) > 0
                        && "running".equals(webB.sessionStatus(carla));
            } catch (Exception e) {
                return false;
            }
        });
        int resumedAt = resumedAfter(surviving, carla);
        assertThat(resumedAt).as("from the checkpoint, not from the start").isBetween(1, 149);
        // B's viewer starts over with the history up to the checkpoint (unless it had nothing past it), then goes on
        Eventually.waitFor("B's viewer to go on from the checkpoint", Duration.ofSeconds(30), () -> {
            List<Long> seen = seqs(onB);
            return (resets(onB) > resets || seen.get(seen.size() - 1) <= resumedAt) && seen.size() > resumedAt + 2;
        });

        // web node B dies: its viewer carries on through A from the last epoch it had
        List<Long> before = seqs(onB);
        webB.kill();
        long since = before.get(before.size() - 1);
        WsViewer onA = new WsViewer(webA.port(), "/ws/sessions/" + carla + "?since=" + since);
        viewers.add(onA);
        Eventually.waitFor("the run to finish, seen through A", Duration.ofSeconds(60), () -> saw(onA, "finished"));
        // what its chart shows: B's epochs and A's after them, or A's alone when A told it to start
        // over (A had not yet seen the history cut back to the checkpoint when the viewer came: A's
        // next round did, and sent it the history as it is)
        List<Long> all = new ArrayList<>(resets(onA) > 0 ? List.of() : before);
        all.addAll(seqs(onA));
        assertThat(all).as("every epoch once, in order, across the two web nodes")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 150).boxed().toList());
        JsonNode history = ServerProcess.body(webA.get("/api/sessions/" + carla)).get("history");
        assertThat(history).hasSize(150);

        // fairness across the cluster, one worker left: a short run queued behind a long one gets the
        // worker after about one slice (a third of the lease), and the long one goes on after it
        String dora = created(webA, spirals, joined(webA, code, "Dora"));
        Eventually.waitFor("the long run to train", Duration.ofSeconds(30), () -> "running".equals(webA.sessionStatus(dora)));
        long queuedAt = System.nanoTime();
        String eva = created(webA, "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 100}}",
                joined(webA, code, "Eva"));
        Eventually.waitFor("the short run to finish", Duration.ofSeconds(40), () -> "finished".equals(webA.sessionStatus(eva)));
        System.out.printf("a short run queued behind a long one on the only worker finished after %.1f s%n",
                (System.nanoTime() - queuedAt) / 1e9);
        assertThat(webA.sessionStatus(dora)).as("the long run is not over: it made way").isIn("queued", "running");
        Eventually.waitFor("the long run to go on from where it left", Duration.ofSeconds(30), () -> {
            String workerLog;
            try {
                workerLog = Files.readString(surviving.log());
            } catch (java.io.IOException e) {
                return false;
            }
            return workerLog.contains("session " + dora + ": back in the queue after epoch")
                    && workerLog.contains("session " + dora + ": goes on after epoch")
                    && "running".equals(webA.sessionStatus(dora));
        });
        assertThat(webA.json("POST", "/api/classes/" + code + "/stop", "", teacher).statusCode()).isEqualTo(200);
        Eventually.waitFor("the long run to stop", Duration.ofSeconds(20), () -> "stopped".equals(webA.sessionStatus(dora)));
        JsonNode longHistory = ServerProcess.body(webA.get("/api/sessions/" + dora)).get("history");
        for (int i = 0; i < longHistory.size(); i++) {
            assertThat(longHistory.get(i).get("epoch").asInt()).as("contiguous across the hand back").isEqualTo(i + 1);
        }
    }

    /**
     * A grid search made on the web node is run by one worker; that worker is killed with
     * {@code kill -9} mid-search: once its lease has run out the search waits again, and the other
     * worker starts it over and ends it, every fold scored.
     */
    @Test
    void aGridSearchWhoseWorkerIsKilledStartsOverOnTheOtherWorker() throws Exception {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        ServerProcess[] started = start(database, "web", "worker", "worker");
        ServerProcess web = started[0];
        HttpResponse<String> created = web.json("POST", "/api/searches", """
                {"data": {"dataset": "metres-feet"}, "network": {"layers": [{"type": "dense", "units": 1}]},
                 "training": {"optimizer": "adam", "epochs": 15000},
                 "grid": {"training.learningRate": [0.01, 0.1]}, "folds": 3}""", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = ServerProcess.body(created).get("id").asText();
        Eventually.waitFor("a worker to run it", Duration.ofSeconds(60),
                () -> {
                    try {
                        return "running".equals(searchStatus(web, id)) && !"queue".equals(holder(database, "searches", id));
                    } catch (Exception e) {
                        return false;
                    }
                });
        String first = holder(database, "searches", id);
        ServerProcess dying = nodeId(started[1]).equals(first) ? started[1] : started[2];
        ServerProcess surviving = dying == started[1] ? started[2] : started[1];
        dying.kill();
        Eventually.waitFor("the other worker to end it", Duration.ofSeconds(90),
                () -> "finished".equals(searchStatus(web, id)));
        JsonNode search = ServerProcess.body(web.get("/api/searches/" + id));
        assertThat(search.get("runsDone").asInt()).isEqualTo(6);
        assertThat(search.get("results").findValues("rank")).extracting(JsonNode::asInt).containsExactlyInAnyOrder(1, 2);
        assertThat(holder(database, "searches", id)).isEqualTo(nodeId(surviving));
        assertThat(Files.readString(surviving.log())).contains("grid search " + id + " claimed from the queue");
    }

    private static String searchStatus(ServerProcess node, String id) {
        try {
            return ServerProcess.body(node.get("/api/searches/" + id)).get("status").asText();
        } catch (Exception e) {
            return "unreachable";
        }
    }
}
