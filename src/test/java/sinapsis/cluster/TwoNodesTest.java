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
import sinapsis.support.Json;
import sinapsis.support.ServerProcess;
import sinapsis.support.TestDatabases;
import sinapsis.support.WsViewer;

/**
 * Two servers, each in its own JVM, on one PostgreSQL: the second one's start does not interrupt
 * the first one's run; a viewer on the second watches the run the first trains, live; the owner
 * pauses, resumes and stops it from the second; when the first is killed, the second reclaims its
 * run within the lease.
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

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    /** The session's status as the node answers it, or what went wrong reaching it. */
    private static String status(ServerProcess node, String id) {
        try {
            return json(node.get("/api/sessions/" + id + "?history=false")).path("status").asText();
        } catch (java.io.IOException e) {
            return "unreachable: " + e.getMessage();
        }
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
        String id = json(created).get("id").asText();
        String token = json(created).get("ownerToken").asText();
        Eventually.waitFor("the run to train on A", Duration.ofSeconds(30),
                () -> "running".equals(status(a, id)));

        b = node(database);
        assertThat(status(a, id)).as("B's start-up left A's run alone").isEqualTo("running");
        assertThat(status(b, id)).as("B shows it as the store has it").isEqualTo("running");
        JsonNode cluster = json(b.get("/api/health")).get("cluster");
        assertThat(cluster.get("nodes")).hasSize(2);
        assertThat(cluster.get("nodes").findValuesAsText("runs")).containsExactly("1", "0");

        viewer = new WsViewer(b.port(), "/ws/sessions/" + id);
        Eventually.waitFor("epochs over B's socket", Duration.ofSeconds(20), () -> lastSeqSeen(viewer) > 0);
        long first = lastSeqSeen(viewer);
        Eventually.waitFor("epochs to keep coming over B's socket", Duration.ofSeconds(20),
                () -> lastSeqSeen(viewer) >= first + 10);

        assertThat(ownerAction(b, id, "pause", token)).isEqualTo(200);
        Eventually.waitFor("A to pause its run at B's request", Duration.ofSeconds(20),
                () -> "paused".equals(status(a, id)));
        Eventually.waitFor("B's viewer to see it paused", Duration.ofSeconds(20), () -> viewerSaw(viewer, "paused"));
        assertThat(ownerAction(b, id, "resume", token)).isEqualTo(200);
        Eventually.waitFor("A to resume it", Duration.ofSeconds(20), () -> "running".equals(status(a, id)));
        assertThat(ownerAction(b, id, "stop", token)).isEqualTo(200);
        Eventually.waitFor("A to stop it", Duration.ofSeconds(20), () -> "stopped".equals(status(a, id)));
        Eventually.waitFor("B's viewer to see it stopped", Duration.ofSeconds(20), () -> viewerSaw(viewer, "stopped"));
        int trained = json(a.get("/api/sessions/" + id)).get("history").size();
        Eventually.waitFor("B's viewer to have every epoch", Duration.ofSeconds(20),
                () -> lastSeqSeen(viewer) == trained);

        // a second run on A, then A dies: B reclaims it once A's lease runs out
        assertThat(ownerAction(a, id, "run", token)).isEqualTo(200);
        Eventually.waitFor("the new run to train on A", Duration.ofSeconds(30), () -> "running".equals(status(a, id)));
        a.kill();
        Eventually.waitFor("B to mark the dead node's run interrupted", Duration.ofSeconds(30),
                () -> "interrupted".equals(status(b, id)));
        Eventually.waitFor("B's viewer to see it interrupted", Duration.ofSeconds(20),
                () -> viewerSaw(viewer, "interrupted"));
        assertThat(json(b.get("/api/health")).at("/cluster/nodes")).hasSize(1);
    }
}
