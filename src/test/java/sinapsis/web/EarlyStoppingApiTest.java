package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** EarlyStopping(monitor, patience, min_delta) through the API, with the course's metres → feet run. */
class EarlyStoppingApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static JsonNode finished(String id) {
        return server.ended("/api/sessions/" + id);
    }

    @Test
    void metresToFeetStopsLongBeforeFiveHundredEpochsAndStillPredictsAbout328Feet() {
        Response created = server.post("/api/sessions", """
                {"data": {"dataset": "metres-feet"},
                 "network": {"layers": [{"type": "dense", "units": 1}]},
                 "training": {"optimizer": "adam", "learningRate": 0.1, "epochs": 500,
                              "earlyStopping": {"monitor": "loss", "patience": 7, "minDelta": 0.0001}}}""");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        JsonNode session = finished(id);

        assertThat(session.get("status").asText()).isEqualTo("finished");
        JsonNode stop = session.at("/result/earlyStop");
        int stopped = stop.get("stoppedEpoch").asInt();
        assertThat(stopped).isLessThan(400);
        assertThat(session.get("history")).hasSize(stopped);
        assertThat(stop.get("bestEpoch").asInt()).isBetween(stopped - 7, stopped);
        assertThat(stop.get("monitor").asText()).isEqualTo("loss");
        assertThat(session.at("/spec/training/earlyStopping/patience").asInt()).isEqualTo(7);
        JsonNode prediction = server.post("/api/sessions/" + id + "/predict", "{\"inputs\": [[100]]}").json();
        assertThat(prediction.at("/outputs/0/0").asDouble()).as("100 m in feet, stopped after epoch %d", stopped)
                .isCloseTo(328.084, within(5.0));
        // the learned line, epoch by epoch, for a one-neuron model
        JsonNode last = session.get("history").get(stopped - 1);
        assertThat(last.at("/metrics/w").asDouble()).isCloseTo(3.28, within(0.1));
    }

    @Test
    void restoreBestWeightsPutsBackTheBestValidationEpoch() {
        JsonNode session = finished(server.post("/api/sessions", """
                {"data": {"dataset": "heart-rate-stress"},
                 "training": {"optimizer": "adam", "learningRate": 0.5, "epochs": 400, "validationSplit": 0.3,
                              "earlyStopping": {"patience": 3, "restoreBestWeights": true}}}""")
                .json().get("id").asText());
        JsonNode stop = session.at("/result/earlyStop");
        assertThat(stop.get("monitor").asText()).as("val_loss when there is validation data").isEqualTo("val_loss");
        assertThat(stop.get("restoredBest").asBoolean()).isTrue();
        int best = stop.get("bestEpoch").asInt();
        double bestValLoss = session.get("history").get(best - 1).get("valLoss").asDouble();
        assertThat(stop.get("bestValue").asDouble()).isEqualTo(bestValLoss);
        // the model is the best epoch's: its validation MSE (original units) is what that epoch measured (scaled)
        assertThat(session.at("/result/metrics/val_mse").asDouble()).isPositive();
        assertThat(session.get("history").size()).isEqualTo(stop.get("stoppedEpoch").asInt());
    }

    @Test
    void badEarlyStoppingSettingsAreA400NamingTheField() {
        Response noValidation = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"},
                 "training": {"earlyStopping": {"monitor": "val_loss", "patience": 3}}}""");
        assertThat(noValidation.status()).isEqualTo(400);
        assertThat(noValidation.json().at("/error/field").asText()).isEqualTo("training.earlyStopping.monitor");
        Response negative = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"earlyStopping": {"patience": -2}}}""");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().at("/error/field").asText()).isEqualTo("training.earlyStopping.patience");
        assertThat(negative.json().at("/error/message").asText()).contains("-2");
    }
}
