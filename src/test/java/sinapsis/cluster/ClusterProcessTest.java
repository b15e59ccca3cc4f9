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
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             PreparedStatement query = connection.prepareStatement("SELECT node_id FROM sessions WHERE id = ?")) {
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
        Eventually.waitFor("epochs over B's socket", Duration.ofSeconds(30), () -> seqs(onB).size() >= 70);
        String first = holder(database, carla);
        ServerProcess dying = nodeId(workers[0]).equals(first) ? workers[0] : workers[1];
        ServerProcess surviving = dying == workers[0] ? workers[1] : workers[0];
        long resets = resets(onB);
        dying.kill();
        Eventually.waitFor("the other worker to go on with it", Duration.ofSeconds(60), () -> {
            try {
                return nodeId(surviving).equals(holder(database, carla)) && resets(onB) > resets
                        && seqs(onB).size() >= 5 && seqs(onB).get(0) == 1 && "running".equals(webB.sessionStatus(carla));
            } catch (Exception e) {
                return false;
            }
        });

        String log = Files.readString(surviving.log());
        java.util.regex.Matcher resumed = java.util.regex.Pattern.compile(
                "session " + carla + ": goes on after epoch (\\d+)").matcher(log);
        assertThat(resumed.find()).as("the other worker goes on from the checkpoint, not from the start").isTrue();
        assertThat(Integer.parseInt(resumed.group(1))).isBetween(1, 149);

        // web node B dies: its viewer carries on through A from the last epoch it had
        List<Long> before = seqs(onB);
        webB.kill();
        long since = before.get(before.size() - 1);
        WsViewer onA = new WsViewer(webA.port(), "/ws/sessions/" + carla + "?since=" + since);
        viewers.add(onA);
        Eventually.waitFor("the run to finish, seen through A", Duration.ofSeconds(60), () -> saw(onA, "finished"));
        List<Long> all = new ArrayList<>(before);
        all.addAll(seqs(onA));
        assertThat(all).as("every epoch once, in order, across the two web nodes")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 150).boxed().toList());
        JsonNode history = ServerProcess.body(webA.get("/api/sessions/" + carla)).get("history");
        assertThat(history).hasSize(150);
    }
}
