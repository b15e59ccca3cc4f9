package sinapsis.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sinapsis.Config;
import sinapsis.store.DatabaseConfig;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.support.TestDatabases;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * A web node and a worker on one PostgreSQL: a run created on the web node waits, visibly, while
 * no worker is up, and is trained by the worker once one is; the web node trains nothing.
 */
class RolesTest {
    private static RunningServer node(DatabaseConfig database, Role role) {
        return new RunningServer(RunningServer.testConfig().withDatabase(database).withWorkers(1)
                .withNodeLease(Duration.ofSeconds(5)).withRole(role), new Nd4jTrainer());
    }

    private static String status(RunningServer node, String id) {
        return node.get("/api/sessions/" + id + "?history=false").json().path("status").asText();
    }

    @Test
    void webAndWorkerNeedADatabaseTheNodesShare() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("SINAPSIS_ROLE", "web")))
                .hasMessageContaining("SINAPSIS_ROLE=web").hasMessageContaining("DATABASE_URL");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("SINAPSIS_ROLE", "worker")))
                .hasMessageContaining("SINAPSIS_ROLE=worker");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("SINAPSIS_ROLE", "boss")))
                .hasMessage("SINAPSIS_ROLE must be all, web or worker, found 'boss'");
        assertThat(Config.fromEnvironment(Map.of()).role()).isEqualTo(Role.ALL);
    }

    @Test
    void aRunCreatedOnAWebNodeWaitsForAWorkerAndIsTrainedByIt() throws Exception {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        try (RunningServer web = node(database, Role.WEB)) {
            Response created = web.post("/api/sessions",
                    "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 40}}");
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asText();
            Thread.sleep(1500);
            assertThat(status(web, id)).as("no worker is up: it waits").isEqualTo("queued");
            assertThat(web.get("/api/sessions/" + id).json().get("queuePosition").asInt()).isEqualTo(1);
            JsonNode cluster = web.get("/api/health").json().get("cluster");
            assertThat(cluster.get("queued").asInt()).isEqualTo(1);
            assertThat(cluster.get("slots").asInt()).as("a web node trains nothing").isZero();
            assertThat(cluster.at("/nodes/0/role").asText()).isEqualTo("web");

            try (RunningServer worker = node(database, Role.WORKER)) {
                Eventually.waitFor("the worker to train it", Duration.ofSeconds(30),
                        () -> "finished".equals(status(web, id)));
                JsonNode session = web.get("/api/sessions/" + id).json();
                assertThat(session.get("history")).hasSize(40);
                assertThat(session.at("/result/equation")).isNotNull();
                Response predicted = web.post("/api/sessions/" + id + "/predict", "{\"inputs\": [[100]]}");
                assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
                assertThat(worker.get("/api/health").json().at("/cluster/nodes")).hasSize(2);
                assertThat(worker.get("/api/health").json().at("/cluster/queued").asInt()).isZero();
            }
        }
    }

    /**
     * {@code SINAPSIS_MAX_RUNS_PER_CLIENT} on web nodes, which train none of their runs: counted in
     * the store, over both nodes — two runs waiting made through one leave no room on the other.
     */
    @Test
    void aClientsRunsAreCountedOverEveryWebNode() {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        sinapsis.model.Limits twoRuns = RunningServer.TEST_LIMITS.withMaxRunsPerClient(2);
        try (RunningServer a = new RunningServer(RunningServer.testConfig().withLimits(twoRuns).withDatabase(database)
                .withNodeLease(Duration.ofSeconds(5)).withRole(Role.WEB), new Nd4jTrainer());
             RunningServer b = new RunningServer(RunningServer.testConfig().withLimits(twoRuns).withDatabase(database)
                     .withNodeLease(Duration.ofSeconds(5)).withRole(Role.WEB), new Nd4jTrainer())) {
            String run = "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 40}}";
            Response first = a.post("/api/sessions", run);
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            assertThat(b.post("/api/sessions", run).status()).isEqualTo(201);
            Response third = a.post("/api/sessions", run, "Accept-Language", "en");
            assertThat(third.status()).as(third.body()).isEqualTo(400);
            assertThat(third.json().at("/error/message").asText()).contains("2 runs");
            assertThat(b.post("/api/sessions", run).status()).as("nor on the other node").isEqualTo(400);

            String owner = "Bearer " + first.json().get("ownerToken").asText();
            Response stopped = b.post("/api/sessions/" + first.json().get("id").asText() + "/stop", "",
                    "Authorization", owner);
            assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
            assertThat(b.post("/api/sessions", run).status()).as("room again once one is stopped").isEqualTo(201);
        }
    }

    /**
     * {@code SINAPSIS_MAX_SPACE_MB} on two web nodes: a client's pasted tables are counted in the
     * store, whichever node stored them; built-in data counts for no one.
     */
    @Test
    void aClientsSpaceIsCountedOverEveryWebNode() {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        sinapsis.model.Limits oneMegabyte = RunningServer.TEST_LIMITS.withMaxSpaceMegabytes(1);
        try (RunningServer a = new RunningServer(RunningServer.testConfig().withLimits(oneMegabyte)
                .withDatabase(database).withNodeLease(Duration.ofSeconds(5)).withRole(Role.WEB), new Nd4jTrainer());
             RunningServer b = new RunningServer(RunningServer.testConfig().withLimits(oneMegabyte)
                     .withDatabase(database).withNodeLease(Duration.ofSeconds(5)).withRole(Role.WEB), new Nd4jTrainer())) {
            StringBuilder csv = new StringBuilder("x,y\\n");
            for (int row = 0; csv.length() < 700_000; row++) { // about 600 kB once the JSON escapes are read
                csv.append(row % 1000).append(',').append(row % 7).append(".25\\n");
            }
            String pasted = "{\"data\": {\"csv\": \"" + csv + "\", \"inputs\": [\"x\"], \"targets\": [\"y\"]},"
                    + " \"training\": {\"epochs\": 1}}";
            Response first = a.post("/api/sessions", pasted);
            assertThat(first.status()).as(first.body()).isEqualTo(201);
            Response second = b.post("/api/sessions", pasted, "Accept-Language", "en");
            assertThat(second.status()).as(second.body()).isEqualTo(400);
            assertThat(second.json().at("/error/field").asText()).isEqualTo("data.csv");
            assertThat(second.json().at("/error/message").asText()).contains("of this server's 1 MB");
            assertThat(b.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}}").status())
                    .as("built-in data takes no space").isEqualTo(201);
        }
    }

    /**
     * {@code SINAPSIS_MAX_QUEUED} and {@code SINAPSIS_MAX_QUEUED_PER_STUDENT} on two web nodes with no
     * worker up: the runs waiting are counted in the store, whichever node they were made on.
     */
    @Test
    void theQueuesLimitsHoldOverEveryWebNode() {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        sinapsis.model.Limits t = RunningServer.TEST_LIMITS;
        sinapsis.model.Limits small = new sinapsis.model.Limits(t.maxPasteBytes(), t.maxRows(), t.maxColumns(),
                t.maxParameters(), t.maxEpochs(), t.maxCreatedPerMinute(), 3, t.maxSessionsPerStudent(),
                t.maxRunningPerStudent(), 2, t.maxBatchMegabytes(), t.maxRunsPerClient(), t.maxSpaceMegabytes());
        try (RunningServer a = new RunningServer(RunningServer.testConfig().withLimits(small).withDatabase(database)
                .withNodeLease(Duration.ofSeconds(5)).withRole(Role.WEB), new Nd4jTrainer());
             RunningServer b = new RunningServer(RunningServer.testConfig().withLimits(small).withDatabase(database)
                     .withNodeLease(Duration.ofSeconds(5)).withRole(Role.WEB), new Nd4jTrainer())) {
            String run = "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 40}}";
            String code = a.post("/api/classes", "{\"name\": \"Redes\"}").json().get("code").asText();
            Response joined = b.post("/api/classes/" + code + "/join", "{\"name\": \"Ana\"}");
            assertThat(joined.status()).as(joined.body()).isEqualTo(201);
            String ana = "Bearer " + joined.json().get("studentToken").asText();
            assertThat(a.post("/api/sessions", run, "Authorization", ana).status()).isEqualTo(201);
            assertThat(b.post("/api/sessions", run, "Authorization", ana).status()).isEqualTo(201);
            Response third = a.post("/api/sessions", run, "Authorization", ana, "Accept-Language", "en");
            assertThat(third.status()).as(third.body()).isEqualTo(400);
            assertThat(third.json().at("/error/message").asText()).contains("2 training runs queued");

            assertThat(b.post("/api/sessions", run).status()).as("the third waiting in all").isEqualTo(201);
            Response fourth = a.post("/api/sessions", run, "Accept-Language", "en");
            assertThat(fourth.status()).as(fourth.body()).isEqualTo(400);
            assertThat(fourth.json().at("/error/message").asText()).contains("3 training runs are waiting");
        }
    }
}
