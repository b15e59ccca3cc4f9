package sinapsis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sinapsis.store.DatabaseConfig;
import sinapsis.support.Eventually;
import sinapsis.support.ServerProcess;
import sinapsis.support.TestDatabases;
import sinapsis.support.WsViewer;

/**
 * Two servers, each in its own JVM, on one PostgreSQL: the second one's start does not interrupt
 * the first one's run; a viewer on the second watches the run the first trains, live; the owner
 * pauses, resumes and stops it from the second; when the first is killed mid-run, the second
 * goes on with the run from its last checkpoint once the first one's lease has run out, and the
 * viewer gets it whole.
 */
class TwoNodesTest {
    private static final String LEASE_MS = "5000";
    private ServerProcess a;
    private ServerProcess b;
    private WsViewer viewer;

    @AfterEach
    void stop() {
        if (viewer != null) {
            viewer.socket.abort();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static ServerProcess node(DatabaseConfig database) throws Exception {
        Path dir = Files.createTempDirectory("sinapsis-node");
        Map<String, String> environment = new HashMap<>(Map.of("DATABASE_URL", database.url(),
                "DATABASE_USER", database.user(), "DATABASE_PASSWORD", database.password(),
                "SINAPSIS_NODE_LEASE_MS", LEASE_MS, "WORKERS", "1"));
        return new ServerProcess(dir, environment).start();
    }

    private static int ownerAction(ServerProcess node, String id, String action, String token) throws Exception {
        return node.json("POST", "/api/sessions/" + id + "/" + action, "", token).statusCode();
    }

    private static long lastSeqSeen(WsViewer viewer) {
        long last = 0;
        for (JsonNode message : viewer.messages) {
            for (JsonNode event : message.path("events")) {
                last = Math.max(last, event.get("seq").asLong());
            }
        }
        return last;
    }

    private static int resets(WsViewer viewer) {
        return (int) viewer.messages.stream().filter(m -> "reset".equals(m.path("type").asText())).count();
    }

    private static java.util.List<Long> seqsAfterLastReset(WsViewer viewer) {
        java.util.List<Long> seqs = new java.util.ArrayList<>();
        for (JsonNode message : viewer.messages) {
            if ("reset".equals(message.path("type").asText())) {
                seqs.clear();
            }
            for (JsonNode event : message.path("events")) {
                seqs.add(event.get("seq").asLong());
            }
        }
        return seqs;
    }

    private static boolean viewerSaw(WsViewer viewer, String status) {
        return viewer.messages.stream().anyMatch(m -> status.equals(m.at("/status/status").asText()));
    }

    @Test
    void aRunTrainedOnOneNodeIsWatchedControlledAndReclaimedThroughTheOther() throws Exception {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        a = node(database);
        // 20 epochs a second for 10 000 epochs: it is still training whatever the test does
        HttpResponse<String> created = a.json("POST", "/api/sessions",
                "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 10000, \"pace\": 20}}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = ServerProcess.body(created).get("id").asText();
        String token = ServerProcess.body(created).get("ownerToken").asText();
        Eventually.waitFor("the run to train on A", Duration.ofSeconds(30),
                () -> "running".equals(a.sessionStatus(id)));

        b = node(database);
        assertThat(a.sessionStatus(id)).as("B's start-up left A's run alone").isEqualTo("running");
        assertThat(b.sessionStatus(id)).as("B shows it as the store has it").isEqualTo("running");
        JsonNode cluster = ServerProcess.body(b.get("/api/health")).get("cluster");
        assertThat(cluster.get("nodes")).hasSize(2);
        assertThat(cluster.get("nodes").findValuesAsText("runs")).containsExactly("1", "0");

        viewer = new WsViewer(b.port(), "/ws/sessions/" + id);
        Eventually.waitFor("epochs over B's socket", Duration.ofSeconds(20), () -> lastSeqSeen(viewer) > 0);
        long first = lastSeqSeen(viewer);
        Eventually.waitFor("epochs to keep coming over B's socket", Duration.ofSeconds(20),
                () -> lastSeqSeen(viewer) >= first + 10);

        assertThat(ownerAction(b, id, "pause", token)).isEqualTo(200);
        Eventually.waitFor("A to pause its run at B's request", Duration.ofSeconds(20),
                () -> "paused".equals(a.sessionStatus(id)));
        Eventually.waitFor("B's viewer to see it paused", Duration.ofSeconds(20), () -> viewerSaw(viewer, "paused"));
        assertThat(ownerAction(b, id, "resume", token)).isEqualTo(200);
        Eventually.waitFor("A to resume it", Duration.ofSeconds(20), () -> "running".equals(a.sessionStatus(id)));
        assertThat(ownerAction(b, id, "stop", token)).isEqualTo(200);
        Eventually.waitFor("A to stop it", Duration.ofSeconds(20), () -> "stopped".equals(a.sessionStatus(id)));
        Eventually.waitFor("B's viewer to see it stopped", Duration.ofSeconds(20), () -> viewerSaw(viewer, "stopped"));
        int trained = ServerProcess.body(a.get("/api/sessions/" + id)).get("history").size();
        Eventually.waitFor("B's viewer to have every epoch", Duration.ofSeconds(20),
                () -> lastSeqSeen(viewer) == trained);

        // a second run on A, then A dies: once its lease has run out, B goes on from A's last checkpoint
        assertThat(a.json("POST", "/api/sessions/" + id + "/run",
                "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 150, \"pace\": 30}}", token)
                .statusCode()).isEqualTo(200);
        Eventually.waitFor("the new run to train on A", Duration.ofSeconds(30), () -> "running".equals(a.sessionStatus(id)));
        a.kill();
        int resets = resets(viewer);
        Eventually.waitFor("B to train the dead node's run again", Duration.ofSeconds(60),
                () -> "finished".equals(b.sessionStatus(id)));
        JsonNode history = ServerProcess.body(b.get("/api/sessions/" + id)).get("history");
        assertThat(history).hasSize(150);
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).get("epoch").asInt()).as("contiguous").isEqualTo(i + 1);
        }
        Eventually.waitFor("B's viewer to see it finished", Duration.ofSeconds(20), () -> viewerSaw(viewer, "finished"));
        assertThat(resets(viewer)).as("the viewer's chart started over with the new run").isGreaterThan(resets);
        assertThat(seqsAfterLastReset(viewer)).as("every epoch of the run B trained, once, in order")
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 150).boxed().toList());
        assertThat(ServerProcess.body(b.get("/api/health")).at("/cluster/nodes")).hasSize(1);
    }
}
