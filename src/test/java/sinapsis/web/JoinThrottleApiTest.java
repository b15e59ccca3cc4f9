package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** Guessing join codes: a client that tries many wrong codes is refused for a while (its own server: it blocks this client). */
class JoinThrottleApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void wrongCodesAre400sAndTooManyOfThemAreRefusedForAWhile() {
        Response bad = server.post("/api/classes/ZZZZZZ/join", "{\"name\": \"x\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/field").asText()).isEqualTo("code");
        Response refused = bad;
        for (int i = 0; i < 12 && refused.status() != 429; i++) {
            refused = server.post("/api/classes/ZZZZZ" + (char) ('A' + i) + "/join", "{\"name\": \"x\"}");
        }
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.json().at("/error/message").asText()).isNotBlank();
    }
}
