package sinapsis.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sinapsis.classroom.JoinThrottle;
import sinapsis.model.Limits;
import sinapsis.store.DatabaseConfig;
import sinapsis.support.RunningServer;
import sinapsis.support.TestDatabases;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * The limits on one client are the cluster's, whichever web node a proxy sends each request to:
 * what it created in the last minute and its wrong join codes are counted in the database the
 * nodes share, not by each node on its own (which gave a client behind a proxy over two web nodes
 * twice the limits).
 */
class ClusterLimitsTest {
    private DatabaseConfig database;

    @BeforeEach
    void sharedDatabase() {
        database = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(database != null, "no test PostgreSQL configured (src/scripts/test starts one)");
    }

    private RunningServer webNode(int createdPerMinute) {
        return new RunningServer(RunningServer.testConfig().withDatabase(database).withRole(Role.WEB)
                .withLimits(RunningServer.TEST_LIMITS.withMaxCreatedPerMinute(createdPerMinute))
                .withJoins(new JoinThrottle.Policy(3, Duration.ofMinutes(10), Duration.ofMillis(20))),
                new Nd4jTrainer());
    }

    @Test
    void whatAClientCreatedOnEitherWebNodeCountsOnBoth() {
        String session = "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 5}}";
        try (RunningServer a = webNode(3); RunningServer b = webNode(3)) {
            assertThat(a.post("/api/sessions", session).status()).isEqualTo(201);
            assertThat(b.post("/api/sessions", session).status()).isEqualTo(201);
            assertThat(a.post("/api/sessions", session).status()).isEqualTo(201);
            RunningServer.Response refused = b.post("/api/sessions", session, "Accept-Language", "es");
            assertThat(refused.status()).as("three in the minute over both nodes").isEqualTo(429);
            assertThat(refused.json().at("/error/message").asText()).contains("3", "minuto");
            assertThat(a.post("/api/sessions", session).status()).isEqualTo(429);
        }
    }

    @Test
    void wrongJoinCodesTriedOnEitherWebNodeCountOnBoth() {
        try (RunningServer a = webNode(1000); RunningServer b = webNode(1000)) {
            for (RunningServer node : java.util.List.of(a, b, a)) {
                assertThat(node.post("/api/classes/ZZZZZZ/join", "{\"name\": \"Ana\"}").status())
                        .as("a wrong code").isEqualTo(400);
            }
            RunningServer.Response refused = b.post("/api/classes/ZZZZZZ/join", "{\"name\": \"Ana\"}");
            assertThat(refused.status()).as("three wrong codes over both nodes").isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(a.post("/api/classes/ZZZZZZ/join", "{\"name\": \"Ana\"}").status()).isEqualTo(429);
        }
    }
}
