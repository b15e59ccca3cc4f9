package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.model.Limits;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.training.nd4j.Nd4jTrainer;

/** The per-client creation limit and the about page that lists every limit. */
class LimitsApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer(new Nd4jTrainer(),
            Limits.defaults().withMaxCreatedPerMinute(3), 1);

    @Test
    void aClientThatCreatesTooManySessionsInAMinuteGetsA429NamingTheLimit() {
        for (int i = 0; i < 3; i++) {
            assertThat(server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 5}}")
                    .status()).isEqualTo(201);
        }
        Response refused = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}}", "Accept-Language", "es");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().at("/error/message").asText()).contains("3", "minuto");
        assertThat(server.post("/api/searches", "{}").status()).as("searches count too").isEqualTo(429);
        assertThat(server.post("/api/classes/ABCDEF/join", "{\"name\": \"x\"}").status()).as("joins too")
                .isEqualTo(429);
        assertThat(server.get("/api/health").status()).as("reading is not limited").isEqualTo(200);
    }

    @Test
    void theAboutPageAndApiListEveryLimit() {
        var limits = server.get("/api/limits").json();
        assertThat(limits.get("maxCreatedPerMinute").asInt()).isEqualTo(3);
        assertThat(limits.get("maxRunningPerStudent").asInt()).isEqualTo(1);
        assertThat(limits.get("workers").asInt()).isEqualTo(1);
        String page = server.get("/about", "Accept-Language", "en").body();
        assertThat(page).contains("SINAPSIS_MAX_QUEUED_PER_STUDENT", "SINAPSIS_MAX_CREATED_PER_MINUTE", "TIME_SLICE_MS",
                "SINAPSIS_MAX_BATCH_MB");
    }
}
