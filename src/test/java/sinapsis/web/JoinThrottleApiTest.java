package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/**
 * Guessing class codes: a client that tries many wrong codes, on any endpoint that takes one, is
 * refused for a while; a right code does not wipe its record (its own servers: they block this client).
 */
class JoinThrottleApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();
    @RegisterExtension
    static final RunningServer probed = new RunningServer();
    @RegisterExtension
    static final RunningServer reset = new RunningServer();

    @Test
    void probingCodesThroughTheBoardApiIsThrottledToo() {
        Response refused = null;
        for (int i = 0; i < 12; i++) {
            refused = probed.get("/api/classes/ZZZZZ" + (char) ('A' + i));
            if (refused.status() == 429) {
                break;
            }
            assertThat(refused.status()).isEqualTo(404);
        }
        assertThat(refused.status()).isEqualTo(429);
        assertThat(probed.post("/api/classes/ZZZZZZ/join", "{\"name\": \"x\"}").status())
                .as("the same record for joins").isEqualTo(429);
    }

    @Test
    void joiningOnesOwnClassDoesNotResetTheWrongCodes() {
        String own = reset.post("/api/classes", "{\"name\": \"mine\"}").json().get("code").asText();
        int refusedAfter = 0;
        for (int i = 0; i < 20; i++) {
            assertThat(reset.post("/api/classes/" + own + "/join", "{\"name\": \"\"}").status())
                    .as("an empty name").isIn(400, 429);
            Response guess = reset.post("/api/classes/ZZZZ" + (char) ('A' + i) + "Z/join", "{\"name\": \"x\"}");
            if (guess.status() == 429) {
                refusedAfter = i;
                break;
            }
        }
        assertThat(refusedAfter).as("refused after the throttle's 10 wrong codes").isEqualTo(10);
    }

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
