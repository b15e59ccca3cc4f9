package sinapsis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sinapsis.store.DatabaseConfig;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.support.TestDatabases;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * A challenge's limit of attempts on two nodes of one PostgreSQL: a student's attempts sent to both
 * at once (a double click, through a proxy that spreads requests over the nodes) take no more than
 * the limit, each one refused leaves no session behind, and each let through is scored by the node
 * that trained it as its run ends.
 */
class ChallengeAcrossNodesTest {
    private static RunningServer node(DatabaseConfig database) {
        return new RunningServer(RunningServer.testConfig().withDatabase(database).withWorkers(1)
                .withNodeLease(Duration.ofSeconds(5)), new Nd4jTrainer());
    }

    @Test
    void attemptsSentToTwoNodesAtOnceTakeNoMoreThanTheLimit() throws Exception {
        DatabaseConfig database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        try (RunningServer a = node(database); RunningServer b = node(database)) {
            JsonNode classroom = a.post("/api/classes", "{\"name\": \"Redes\"}").json();
            String teacher = "Bearer " + classroom.get("teacherToken").asText();
            String challenges = "/api/classes/" + classroom.get("code").asText() + "/challenges";
            Response challenge = a.post(challenges, """
                    {"title": {"es": "XOR", "en": "XOR"}, "instructions": "Separa las dos clases.",
                     "spec": {"data": {"dataset": "xor"}, "training": {"epochs": 300, "validationSplit": 0}},
                     "target": {"metric": "test_accuracy", "op": ">=", "value": 0.9},
                     "testFraction": 0.25, "seed": 7, "state": "open", "attempts": 2}""",
                    "Authorization", teacher);
            assertThat(challenge.status()).as(challenge.body()).isEqualTo(201);
            String challengeId = challenge.json().get("id").asText();
            Response joined = b.post("/api/classes/" + classroom.get("code").asText() + "/join", "{\"name\": \"Ana\"}");
            assertThat(joined.status()).as(joined.body()).isEqualTo(201);
            String ana = "Bearer " + joined.json().get("studentToken").asText();
            ObjectNode attempt = a.get(challenges + "/" + challengeId + "?spec=true", "Authorization", ana).json()
                    .at("/challenge/spec").deepCopy();
            attempt.put("challenge", challengeId);

            int tries = 8;
            ExecutorService clients = Executors.newFixedThreadPool(tries);
            List<Response> answers = new ArrayList<>();
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Response>> sent = new ArrayList<>();
                for (int t = 0; t < tries; t++) {
                    RunningServer node = t % 2 == 0 ? a : b;
                    sent.add(clients.submit(() -> {
                        go.await();
                        return node.post("/api/sessions", attempt.toString(), "Authorization", ana);
                    }));
                }
                go.countDown();
                for (Future<Response> answer : sent) {
                    answers.add(answer.get());
                }
            } finally {
                clients.shutdownNow();
            }

            assertThat(answers).filteredOn(r -> r.status() == 201).as("attempts let through").hasSize(2);
            for (Response refused : answers.stream().filter(r -> r.status() != 201).toList()) {
                assertThat(refused.status()).as(refused.body()).isEqualTo(400);
                assertThat(refused.json().at("/error/field").asText()).isEqualTo("challenge");
                assertThat(refused.json().at("/error/message").asText()).contains("2");
            }
            assertThat(sessionsStored(database)).as("no session left by a refused attempt").isEqualTo(2);
            // scored by the node that trained each, as its run ended: no page asked for them yet (300
            // epochs: a run takes far longer than the few milliseconds its attempt's row takes to be
            // written after the run starts; a run that ended before would wait for a page to settle it)
            sinapsis.support.Eventually.waitFor("both attempts scored at their runs' end", Duration.ofSeconds(30),
                    () -> count(database, "SELECT COUNT(*) FROM challenge_attempts WHERE state = 'scored'") == 2);
            for (RunningServer node : List.of(a, b)) {
                JsonNode view = node.get(challenges + "/" + challengeId, "Authorization", ana).json();
                assertThat(view.get("attemptsUsed").asInt()).isEqualTo(2);
                assertThat(view.get("canAttempt").asBoolean()).isFalse();
            }
        }
    }

    private static int sessionsStored(DatabaseConfig database) {
        return count(database, "SELECT COUNT(*) FROM sessions");
    }

    private static int count(DatabaseConfig database, String query) {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery(query)) {
            count.next();
            return count.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
