package sinapsis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sinapsis.store.DatabaseConfig;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.support.TestDatabases;
import sinapsis.support.WsViewer;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * Grid searches as cluster work: one made on a web node waits, visibly, for a node that trains, is
 * run by a worker and shown live on the web node; a stop asked on the web node stops it on the
 * worker (or at once while it waits); a worker that stops cleanly mid-search leaves it to another,
 * which starts it over and ends with the scores an uninterrupted search gets.
 */
class SearchesAcrossNodesTest {
    /** Metres → feet pasted (the table travels with the search to the worker), two rates, three folds. */
    private static final String SEARCH = """
            {"data": {"csv": "m,ft\\n0,0\\n1,3.28\\n2,6.56\\n3,9.84\\n4,13.12\\n5,16.4\\n6,19.69\\n7,22.97\\n8,26.25",
                      "inputs": ["m"], "targets": ["ft"]},
             "network": {"layers": [{"type": "dense", "units": 1}]},
             "training": {"optimizer": "adam", "epochs": %d},
             "grid": {"training.learningRate": [0.01, 0.1]}, "folds": 3}""";

    private DatabaseConfig database;

    @BeforeEach
    void sharedDatabase() {
        database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
    }

    private RunningServer node(Role role) {
        return new RunningServer(config(role), new Nd4jTrainer());
    }

    private sinapsis.Config config(Role role) {
        return RunningServer.testConfig().withDatabase(database).withWorkers(1)
                .withNodeLease(Duration.ofSeconds(5)).withRole(role);
    }

    private static String status(RunningServer node, String id) {
        return node.get("/api/searches/" + id).json().get("status").asText();
    }

    private static List<Double> meanScores(JsonNode search) {
        List<Double> means = new ArrayList<>();
        search.get("results").forEach(result -> means.add(result.get("meanScore").asDouble()));
        return means;
    }

    @Test
    void aSearchMadeOnAWebNodeWaitsForAWorkerIsRunThereAndShownLiveOnTheWebNode() throws Exception {
        try (RunningServer web = node(Role.WEB)) {
            Response created = web.post("/api/searches", SEARCH.formatted(5000)); // a few rounds of running
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String id = created.json().get("id").asText();
            String token = created.json().get("ownerToken").asText();
            assertThat(created.json().get("status").asText()).isEqualTo("queued");
            WsViewer viewer = new WsViewer(web.port(), "/ws/searches/" + id);
            Thread.sleep(1500);
            JsonNode waiting = web.get("/api/searches/" + id).json();
            assertThat(waiting.get("status").asText()).as("no node that trains is up: it waits").isEqualTo("queued");
            assertThat(waiting.get("runsTotal").asInt()).isEqualTo(6);
            assertThat(waiting.get("results")).hasSize(2);
            assertThat(waiting.at("/results/0/status").asText()).isEqualTo("queued");
            assertThat(web.get("/api/health").json().at("/cluster/searchesQueued").asInt()).isEqualTo(1);
            assertThat(web.get("/about").body()).contains("id=\"cluster-searches-queued\">1<");

            try (RunningServer worker = node(Role.WORKER)) {
                JsonNode search = web.ended("/api/searches/" + id);
                assertThat(search.get("status").asText()).isEqualTo("finished");
                assertThat(search.get("runsDone").asInt()).isEqualTo(6);
                List<Integer> ranks = new ArrayList<>();
                search.get("results").forEach(result -> {
                    assertThat(result.get("scores")).hasSize(3);
                    assertThat(result.get("curve").size()).isPositive();
                    ranks.add(result.get("rank").asInt());
                });
                assertThat(ranks).containsExactlyInAnyOrder(1, 2);
                assertThat(web.get("/api/health").json().at("/cluster/searchesQueued").asInt()).isZero();
                assertThat(worker.get("/api/searches/" + id).json().get("results"))
                        .as("the worker that ran it shows the same").isEqualTo(search.get("results"));

                String refit = search.get("bestSessionId").asText();
                JsonNode session = web.ended("/api/sessions/" + refit);
                assertThat(session.get("status").asText()).isEqualTo("finished");
                assertThat(web.get("/api/sessions/" + refit, "Authorization", "Bearer " + token).json()
                        .get("owner").asBoolean()).as("the search's owner owns its refit").isTrue();
                Eventually.waitFor("the web node's viewer to see it run and end", Duration.ofSeconds(10),
                        () -> viewer.messages.stream().anyMatch(m -> "finished".equals(m.at("/search/status").asText())));
                assertThat(viewer.messages).anyMatch(m -> "running".equals(m.at("/search/status").asText()));
                viewer.socket.abort();
            }
        }
    }

    @Test
    void aRunQueuedWhileASearchHoldsTheOnlyWorkersSlotTrainsBesideItNotAfterIt() {
        // the worker with the server's own slice (the tests' is ten minutes): its runs take turns
        sinapsis.Config workerConfig = config(Role.WORKER);
        try (RunningServer web = node(Role.WEB); RunningServer worker = new RunningServer(workerConfig.withTimes(
                workerConfig.historyFlush(), sinapsis.training.TrainingService.DEFAULT_SLICE,
                workerConfig.slowViewerTimeout()), new Nd4jTrainer())) {
            StringBuilder table = new StringBuilder("m,ft\\n");
            for (int row = 0; row < 300; row++) {
                table.append(row % 10).append(',').append(row % 10 * 3.28).append("\\n");
            }
            // each fold's epoch is 200 steps of one row: a fold takes tens of seconds, far longer than the bound below
            Response search = web.post("/api/searches", """
                    {"data": {"csv": "%s", "inputs": ["m"], "targets": ["ft"]},
                     "network": {"layers": [{"type": "dense", "units": 1}]},
                     "training": {"epochs": 5000, "batchSize": 1},
                     "grid": {"training.learningRate": [0.01, 0.1]}, "folds": 3}""".formatted(table));
            assertThat(search.status()).as(search.body()).isEqualTo(201);
            String searchId = search.json().get("id").asText();
            Eventually.waitFor("the worker to run the search", Duration.ofSeconds(30),
                    () -> "running".equals(status(web, searchId)));
            Response run = web.post("/api/sessions", """
                    {"data": {"dataset": "celsius"}, "training": {"epochs": 100}}""");
            assertThat(run.status()).as(run.body()).isEqualTo(201);
            String runId = run.json().get("id").asText();
            long queued = System.nanoTime();
            JsonNode ended = web.ended("/api/sessions/" + runId);
            double waited = (System.nanoTime() - queued) / 1e9;
            assertThat(ended.get("status").asText()).isEqualTo("finished");
            assertThat(status(web, searchId)).as("the search still runs: the run did not wait for its end (%.1f s)",
                    waited).isEqualTo("running");
            assertThat(waited).as("a second in the queue, a round, a slice here, its 100 epochs").isLessThan(20);
            assertThat(web.post("/api/searches/" + searchId + "/stop", "", "Authorization",
                    "Bearer " + search.json().get("ownerToken").asText()).status()).isEqualTo(200);
            Eventually.waitFor("the search to stop", Duration.ofSeconds(10),
                    () -> "stopped".equals(status(web, searchId)));
        }
    }

    @Test
    void aStopAskedOnTheWebNodeStopsTheSearchWhereverItIs() {
        try (RunningServer web = node(Role.WEB)) {
            Response waiting = web.post("/api/searches", SEARCH.formatted(300));
            String waitingOwner = "Bearer " + waiting.json().get("ownerToken").asText();
            String waitingId = waiting.json().get("id").asText();
            Response stopped = web.post("/api/searches/" + waitingId + "/stop", "", "Authorization", waitingOwner);
            assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
            assertThat(status(web, waitingId)).as("a search no node holds stops at once").isEqualTo("stopped");

            Response created = web.post("/api/searches", SEARCH.formatted(100_000));
            String id = created.json().get("id").asText();
            String owner = "Bearer " + created.json().get("ownerToken").asText();
            try (RunningServer worker = node(Role.WORKER)) {
                Eventually.waitFor("the worker to run it", Duration.ofSeconds(30),
                        () -> "running".equals(status(web, id)));
                assertThat(web.post("/api/searches/" + id + "/stop", "", "Authorization", "Bearer nobody").status())
                        .isEqualTo(403);
                assertThat(web.post("/api/searches/" + id + "/stop", "", "Authorization", owner).status()).isEqualTo(200);
                Eventually.waitFor("the worker to stop it", Duration.ofSeconds(10),
                        () -> "stopped".equals(status(web, id)));
                assertThat(status(worker, id)).isEqualTo("stopped");
                assertThat(status(web, waitingId)).as("the stopped one was never run").isEqualTo("stopped");
                assertThat(web.get("/api/searches/" + id).json().get("bestSessionId").isNull()).isTrue();
            }
        }
    }

    @Test
    void aWorkerThatStopsMidSearchLeavesItToAnotherWhichEndsWithTheSameScores() {
        try (RunningServer web = node(Role.WEB)) {
            String search = SEARCH.formatted(4000);
            String id;
            try (RunningServer first = node(Role.WORKER)) {
                id = web.post("/api/searches", search).json().get("id").asText();
                Eventually.waitFor("the first worker to run it", Duration.ofSeconds(30),
                        () -> "running".equals(status(first, id)));
            }
            Eventually.waitFor("the stopped worker's search to wait again", Duration.ofSeconds(10),
                    () -> "queued".equals(status(web, id)));
            try (RunningServer second = node(Role.WORKER)) {
                JsonNode ended = web.ended("/api/searches/" + id);
                assertThat(ended.get("status").asText()).as("started over by the second worker").isEqualTo("finished");
                assertThat(ended.get("runsDone").asInt()).isEqualTo(6);
                assertThat(status(second, id)).isEqualTo("finished");

                String again = web.post("/api/searches", search).json().get("id").asText();
                JsonNode uninterrupted = web.ended("/api/searches/" + again);
                assertThat(meanScores(ended)).as("each fold seeded: the same scores as a search never interrupted")
                        .isEqualTo(meanScores(uninterrupted));
            }
        }
    }
}
