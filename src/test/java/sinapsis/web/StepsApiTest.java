package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** Step-by-step gradient descent with the course's apples and oranges (5 rows, 3 inputs, 2 outputs). */
class StepsApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static final String APPLES = """
            {"data": {"dataset": "apples-oranges-5"},
             "training": {"optimizer": "sgd", "learningRate": 0.00001, "seed": %d}, "step": %d}""";

    private static JsonNode step(long seed, int step) {
        Response response = server.post("/api/steps", APPLES.formatted(seed, step));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    @Test
    void oneStepOfPlainGradientDescentSubtractsLearningRateTimesGradientAndLowersTheLoss() {
        JsonNode start = step(42, 0);
        assertThat(start.get("step").asInt()).isZero();
        assertThat(start.get("predictions")).hasSize(5);
        assertThat(start.at("/layers/0/before/weights")).hasSize(3);
        assertThat(start.at("/layers/0").has("gradient")).isFalse();

        JsonNode first = step(42, 1);
        assertThat(first.get("lossBefore").asDouble()).isEqualTo(start.get("lossBefore").asDouble());
        assertThat(first.get("lossAfter").asDouble()).isLessThan(first.get("lossBefore").asDouble());
        JsonNode layer = first.at("/layers/0");
        for (int i = 0; i < 3; i++) {
            for (int u = 0; u < 2; u++) {
                double w = layer.at("/before/weights/" + i + "/" + u).asDouble();
                double g = layer.at("/gradient/weights/" + i + "/" + u).asDouble();
                assertThat(layer.at("/update/weights/" + i + "/" + u).asDouble()).isCloseTo(1e-5 * g, within(1e-6 * Math.abs(g) + 1e-9));
                assertThat(layer.at("/after/weights/" + i + "/" + u).asDouble()).isCloseTo(w - 1e-5 * g, within(1e-4));
            }
        }
        // the next step starts where this one ended
        JsonNode second = step(42, 2);
        assertThat(second.get("lossBefore").asDouble()).isCloseTo(first.get("lossAfter").asDouble(), within(1e-3));
        assertThat(second.at("/layers/0/before/weights/0/0").asDouble())
                .isEqualTo(first.at("/layers/0/after/weights/0/0").asDouble());
    }

    @Test
    void theGradientIsTheSlopeOfTheLoss() {
        // MSE over 5 rows × 2 outputs: ∂L/∂b_u = 2/10 · Σ_r (ŷ_ru − y_ru), from the step's own predictions
        JsonNode first = step(7, 1);
        for (int u = 0; u < 2; u++) {
            double sum = 0;
            for (int r = 0; r < 5; r++) {
                sum += first.at("/predictions/" + r + "/" + u).asDouble() - first.at("/y/" + r + "/" + u).asDouble();
            }
            assertThat(first.at("/layers/0/gradient/biases/" + u).asDouble()).isCloseTo(2.0 / 10 * sum,
                    within(Math.abs(sum) * 1e-4 + 1e-4));
        }
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedOtherOnes() {
        assertThat(step(42, 3).get("lossAfter").asDouble()).isEqualTo(step(42, 3).get("lossAfter").asDouble());
        assertThat(step(43, 0).get("lossBefore").asDouble()).isNotEqualTo(step(42, 0).get("lossBefore").asDouble());
    }

    @Test
    void largeModelsAndStepNumbersAreRefusedNamingTheField() {
        Response big = server.post("/api/steps", """
                {"data": {"dataset": "spirals"}, "step": 1}""");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().at("/error/field").asText()).isEqualTo("network");
        assertThat(big.json().at("/error/message").asText()).contains("50");
        Response far = server.post("/api/steps", APPLES.formatted(1, 5000));
        assertThat(far.status()).isEqualTo(400);
        assertThat(far.json().at("/error/field").asText()).isEqualTo("step");
        Response notNumber = server.post("/api/steps", APPLES.replace("%d}", "\"x\"}").formatted(1));
        assertThat(notNumber.status()).isEqualTo(400);
    }
}
