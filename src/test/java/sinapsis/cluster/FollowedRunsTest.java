package sinapsis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sinapsis.store.DatabaseConfig;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.support.TestDatabases;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * Two nodes in one JVM on one PostgreSQL: a run no one reads on a node is followed there by its
 * status alone, and a reader gets all its epochs; a step asked on the node that does not train the run
 * advances it exactly one epoch on the node that does, and a delete asked there removes it on
 * both; predictions asked there come from the run's latest checkpoint while it trains; a node
 * stopped cleanly hands its run to the other, which goes on where it was; a run paused on a node
 * that stops stays paused, and its owner steps and resumes it on the other.
 */
class FollowedRunsTest {
    private static RunningServer node(DatabaseConfig database) {
        return new RunningServer(RunningServer.testConfig().withDatabase(database).withWorkers(1)
                .withNodeLease(Duration.ofSeconds(5)), new Nd4jTrainer());
    }

    /** A session made through the API: its id and its owner's Authorization header. */
    private record Created(String id, String owner) {
        static Created of(Response created) {
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            return new Created(created.json().get("id").asText(),
                    "Bearer " + created.json().get("ownerToken").asText());
        }
    }

    /** A long course run (°C → °F, 5000 epochs) at {@code pace} epochs a second, created on {@code node}. */
    private static Created celsius(RunningServer node, int pace) {
        return Created.of(node.post("/api/sessions",
                "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 5000, \"pace\": " + pace + "}}"));
    }

    /** A °C→°F run of {@code epochs} at full speed, created through {@code node}. */
    private static Created celsiusEpochs(RunningServer node, int epochs) {
        return Created.of(node.post("/api/sessions",
                "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": " + epochs + "}}"));
    }

    private static String status(RunningServer node, String id) {
        return node.get("/api/sessions/" + id + "?history=false").json().path("status").asText();
    }

    private static int epochs(RunningServer node, String id) {
        return node.get("/api/sessions/" + id).json().get("history").size();
    }

    /** The test PostgreSQL both nodes share (the test is skipped where none is configured). */
    private static DatabaseConfig sharedPostgresql() {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        return database;
    }

    /** The session's history on {@code node} holds epochs 1, 2, 3… each once, in order. */
    private static void assertContiguous(RunningServer node, String id) {
        var history = node.get("/api/sessions/" + id).json().get("history");
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).get("epoch").asInt()).as("contiguous").isEqualTo(i + 1);
        }
    }

    @Test
    void aStepAndADeleteAskedOnOneNodeAreCarriedOutByTheNodeThatTrains() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            Created created = celsius(a, 20);
            String id = created.id();
            String owner = created.owner();
            Eventually.waitFor("the run to train on A", Duration.ofSeconds(20), () -> "running".equals(status(a, id)));
            Eventually.waitFor("B to show it training", Duration.ofSeconds(10), () -> "running".equals(status(b, id)));

            assertThat(b.post("/api/sessions/" + id + "/pause", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("A to pause it", Duration.ofSeconds(10), () -> "paused".equals(status(a, id)));
            Eventually.waitFor("B to show it paused", Duration.ofSeconds(10), () -> "paused".equals(status(b, id)));
            int paused = epochs(a, id);
            assertThat(b.post("/api/sessions/" + id + "/step", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("A to train the one step", Duration.ofSeconds(10), () -> epochs(a, id) == paused + 1);
            Thread.sleep(1000);
            assertThat(epochs(a, id)).as("one epoch, then paused again").isEqualTo(paused + 1);
            assertThat(status(a, id)).isEqualTo("paused");
            Eventually.waitFor("B to show the stepped epoch", Duration.ofSeconds(10),
                    () -> epochs(b, id) == paused + 1);

            assertThat(b.delete("/api/sessions/" + id, "Authorization", owner).status()).isEqualTo(204);
            Eventually.waitFor("A to delete it", Duration.ofSeconds(10),
                    () -> a.get("/api/sessions/" + id).status() == 404);
            Eventually.waitFor("B to forget it", Duration.ofSeconds(10),
                    () -> b.get("/api/sessions/" + id).status() == 404);
        }
    }

    @Test
    void aRunThatEndedElsewhereIsReadOnceAndWhenItTrainsAgainFollowedAgain() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            Created created = celsiusEpochs(a, 300);
            String id = created.id();
            String owner = created.owner();
            assertThat(status(b, id)).isIn("queued", "running", "finished");
            Eventually.waitFor("B to show it finished", Duration.ofSeconds(30), () -> "finished".equals(status(b, id)));
            var shown = b.sessions().inMemory(id).orElseThrow().run();
            var model = shown.model();
            var result = shown.result();
            assertThat(model).isNotNull();
            Thread.sleep(1500); // three rounds of B's follower at least
            assertThat(b.sessions().inMemory(id).orElseThrow().run().model())
                    .as("the ended run's model read once, not again every round").isSameAs(model);
            assertThat(b.sessions().inMemory(id).orElseThrow().run().result()).isSameAs(result);

            assertThat(a.post("/api/sessions/" + id + "/run", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("B to follow the new run to its end", Duration.ofSeconds(30), () -> {
                var run = b.sessions().inMemory(id).orElseThrow().run();
                return run.status().isOver() && run.model() != null && run.model() != model;
            });
            assertThat(epochs(b, id)).isEqualTo(300);
        }
    }

    @Test
    void aRunNobodyReadsOnANodeIsFollowedThereByItsStatusAloneUntilSomeoneReadsIt() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            Created created = celsius(a, 40);
            String id = created.id();
            String owner = created.owner();
            Eventually.waitFor("B to show it training", Duration.ofSeconds(20), () -> "running".equals(status(b, id)));
            Thread.sleep(3000); // longer than a read counts for: from now on no one reads it on B
            long fetched = b.sessions().inMemory(id).orElseThrow().run().fetchedSeq();
            Thread.sleep(2000); // 80 epochs on A, four of B's follower rounds at least
            var shown = b.sessions().inMemory(id).orElseThrow().run();
            assertThat(shown.fetchedSeq()).as("no epochs fetched for a run no one reads here").isEqualTo(fetched);
            assertThat(shown.lastSeq()).as("but it knows how many the store has").isGreaterThan(fetched + 40);
            assertThat(shown.status()).as("its status still followed").isEqualTo(sinapsis.training.RunStatus.RUNNING);

            int trained = epochs(a, id);
            assertThat(trained).isGreaterThan((int) fetched + 40);
            // what A had stored when asked: A writes its epochs every half second
            assertThat(epochs(b, id)).as("a reader gets the epochs at once").isGreaterThan((int) fetched + 40);
            Eventually.waitFor("B's reader to have all A had", Duration.ofSeconds(10), () -> epochs(b, id) >= trained);
            assertContiguous(b, id);

            // its end: B reads the result and model (predictions made) only when someone asks
            assertThat(a.post("/api/sessions/" + id + "/stop", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("B to see it stopped", Duration.ofSeconds(10),
                    () -> b.sessions().inMemory(id).orElseThrow().run().status() == sinapsis.training.RunStatus.STOPPED);
            var ended = b.sessions().inMemory(id).orElseThrow().run();
            assertThat(ended.outcomePending()).as("no result made on B before anyone asks").isTrue();
            var asked = b.get("/api/sessions/" + id).json();
            assertThat(asked.path("result").path("weights").isMissingNode()).as(asked.toString()).isFalse();
            assertThat(ended.outcomePending()).isFalse();
            assertThat(ended.model()).isNotNull();
        }
    }

    @Test
    void aRunThatEndsUnreadOnANodeHasItsEpochsFetchedThereOnlyWhenSomeoneReadsThem() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            String id = Created.of(a.post("/api/sessions", // two seconds: B shows it before it ends
                    "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 200, \"pace\": 100}}")).id();
            assertThat(status(b, id)).as("B shows it, asked about, not read").isIn("queued", "running");
            long atFirstSight = b.sessions().inMemory(id).orElseThrow().run().fetchedSeq(); // read with its row
            Eventually.waitFor("B to see it finished", Duration.ofSeconds(30),
                    () -> b.sessions().inMemory(id).orElseThrow().run().status() == sinapsis.training.RunStatus.FINISHED);
            var ended = b.sessions().inMemory(id).orElseThrow().run();
            assertThat(ended.lastSeq()).as("its end and epoch count followed").isEqualTo(200);
            assertThat(ended.fetchedSeq()).as("no more of its epochs fetched on B: nobody read them there")
                    .isEqualTo(atFirstSight).isLessThan(150);

            assertThat(epochs(b, id)).as("a reader gets them all at once").isEqualTo(200);
            assertContiguous(b, id);
            assertThat(b.sessions().inMemory(id).orElseThrow().run().fetchedSeq()).isEqualTo(200);
        }
    }

    @Test
    void aSessionNobodyAskedAboutForAWhileIsBroughtUpToDateWhenNextUsed() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            Created created = celsiusEpochs(a, 50);
            String id = created.id();
            Eventually.waitFor("B to show it finished", Duration.ofSeconds(30), () -> "finished".equals(status(b, id)));
            Thread.sleep(11_000); // past RunFollower.IDLE_NANOS: B's rounds leave it out from now on

            assertThat(a.post("/api/sessions/" + id + "/run", "{\"data\": {\"dataset\": \"celsius\"},"
                    + " \"training\": {\"epochs\": 5000, \"pace\": 20}}", "Authorization", created.owner()).status())
                    .isEqualTo(200);
            assertThat(status(b, id)).as("started again on A: B reads its state when asked").isIn("queued", "running");
            Eventually.waitFor("B to follow the new run", Duration.ofSeconds(20), () -> epochs(b, id) > 0);

            assertThat(a.delete("/api/sessions/" + id, "Authorization", created.owner()).status()).isEqualTo(204);
            Eventually.waitFor("B to know it is gone", Duration.ofSeconds(10),
                    () -> b.get("/api/sessions/" + id).status() == 404);
        }
    }

    @Test
    void predictionsOfARunTrainedElsewhereComeFromItsLatestCheckpoint() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            Created created = celsius(a, 40);
            String id = created.id();
            String owner = created.owner();
            Eventually.waitFor("B to answer a prediction while A trains", Duration.ofSeconds(20),
                    () -> b.post("/api/sessions/" + id + "/predict", "{\"inputs\": [[100]]}").status() == 200);
            double first = b.post("/api/sessions/" + id + "/predict", "{\"inputs\": [[100]]}").json()
                    .at("/outputs/0/0").asDouble();
            assertThat(first).isFinite();
            // a checkpoint every third of the 5 s lease: the model B predicts with moves on as A trains
            Eventually.waitFor("B's model to follow A's training", Duration.ofSeconds(20),
                    () -> b.post("/api/sessions/" + id + "/predict", "{\"inputs\": [[100]]}").json()
                            .at("/outputs/0/0").asDouble() != first);
            assertThat(status(b, id)).as("still training on A").isEqualTo("running");
            assertThat(b.post("/api/sessions/" + id + "/stop", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("A to stop it", Duration.ofSeconds(10), () -> "stopped".equals(status(a, id)));
        }
    }

    @Test
    void aNodeStoppedCleanlyHandsItsRunsToAnotherWhichGoesOnWhereTheyWere() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            Created created = celsius(a, 40);
            String id = created.id();
            String owner = created.owner();
            Eventually.waitFor("some epochs on A", Duration.ofSeconds(20), () -> epochs(a, id) >= 20);
            a.close(); // a rolling restart: SIGTERM, the shutdown hook
            int trainedOnA = epochs(b, id);
            assertThat(trainedOnA).as("everything A trained is kept").isGreaterThanOrEqualTo(20);
            Eventually.waitFor("B to go on with it", Duration.ofSeconds(20),
                    () -> "running".equals(status(b, id)) && epochs(b, id) > trainedOnA + 5);
            assertContiguous(b, id);
            assertThat(b.post("/api/sessions/" + id + "/stop", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("B to stop it", Duration.ofSeconds(10), () -> "stopped".equals(status(b, id)));
        }
    }

    @Test
    void aRunPausedOnANodeThatStopsStaysPausedAndGoesOnWhereItWasOnTheOther() throws Exception {
        DatabaseConfig database = sharedPostgresql();
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            Created created = celsius(a, 40);
            String id = created.id();
            String owner = created.owner();
            Eventually.waitFor("some epochs on A", Duration.ofSeconds(20), () -> epochs(a, id) >= 10);
            assertThat(a.post("/api/sessions/" + id + "/pause", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("A to pause it", Duration.ofSeconds(10), () -> "paused".equals(status(a, id)));
            int paused = epochs(a, id);
            a.close();

            assertThat(status(b, id)).as("it waits for its owner, not interrupted").isEqualTo("paused");
            assertThat(epochs(b, id)).as("every epoch trained on A is kept").isEqualTo(paused);
            assertThat(b.post("/api/sessions/" + id + "/step", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("B to train the one step", Duration.ofSeconds(20), () -> epochs(b, id) == paused + 1);
            Eventually.waitFor("B to pause it again", Duration.ofSeconds(10), () -> "paused".equals(status(b, id)));
            Thread.sleep(500);
            assertThat(epochs(b, id)).as("one epoch, then paused again").isEqualTo(paused + 1);

            assertThat(b.post("/api/sessions/" + id + "/resume", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("B to go on with it", Duration.ofSeconds(10), () -> epochs(b, id) > paused + 5);
            assertContiguous(b, id);
            assertThat(b.post("/api/sessions/" + id + "/stop", "", "Authorization", owner).status()).isEqualTo(200);
            Eventually.waitFor("B to stop it", Duration.ofSeconds(10), () -> "stopped".equals(status(b, id)));
        }
    }
}
