package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;
import sinapsis.support.WsViewer;

/** Grid search with k-fold cross-validation, as GridSearchCV(cv=3, refit=True) runs it. */
class SearchApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static JsonNode finished(String id) {
        return server.ended("/api/searches/" + id);
    }

    @Test
    void theCourseLearningRateSearchOnMetresToFeetRanksEveryRateAndRefitsTheBest() throws Exception {
        Response created = server.post("/api/searches", """
                {"data": {"dataset": "metres-feet"},
                 "network": {"layers": [{"type": "dense", "units": 1}]},
                 "training": {"optimizer": "adam", "epochs": 500},
                 "grid": {"training.learningRate": [0.001, 0.01, 0.1, 0.2, 0.25, 0.3]},
                 "folds": 3}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        String token = created.json().get("ownerToken").asText();
        assertThat(created.json().get("url").asText()).isEqualTo("/searches/" + id);
        WsViewer viewer = new WsViewer(server.port(), "/ws/searches/" + id);

        JsonNode search = finished(id);
        assertThat(search.get("status").asText()).isEqualTo("finished");
        assertThat(search.get("scoring").asText()).isEqualTo("neg_mean_squared_error");
        assertThat(search.get("runsDone").asInt()).isEqualTo(18);
        JsonNode results = search.get("results");
        assertThat(results).hasSize(6);
        List<Integer> ranks = new ArrayList<>();
        for (JsonNode result : results) {
            assertThat(result.get("scores")).hasSize(3);
            assertThat(result.get("meanScore").asDouble()).isNegative();
            assertThat(result.get("stdScore").asDouble()).isNotNegative();
            assertThat(result.get("curve").size()).isPositive();
            ranks.add(result.get("rank").asInt());
        }
        assertThat(ranks).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
        // 500 Adam steps of 0.001 barely move the weight: the worst of the six
        assertThat(results.get(0).at("/params/training.learningRate").asDouble()).isEqualTo(0.001);
        assertThat(results.get(0).get("rank").asInt()).isEqualTo(6);
        JsonNode best = search.get("best");
        int bestIndex = ranks.indexOf(1);
        assertThat(best.get("params")).isEqualTo(results.get(bestIndex).get("params"));
        assertThat(best.get("meanScore").asDouble()).isEqualTo(results.get(bestIndex).get("meanScore").asDouble());

        // refit=True: the best rate trained on all the data, as a session the search's owner owns
        String sessionId = search.get("bestSessionId").asText();
        JsonNode session = server.get("/api/sessions/" + sessionId, "Authorization", "Bearer " + token).json();
        assertThat(session.get("owner").asBoolean()).isTrue();
        assertThat(session.at("/spec/training/learningRate").asDouble())
                .isEqualTo(best.at("/params/training.learningRate").asDouble());
        assertThat(server.get("/api/sessions/" + sessionId).json().get("owner").asBoolean()).isFalse();

        Eventually.waitFor("the final state over the WebSocket", Duration.ofSeconds(10), () -> viewer.messages.stream()
                .anyMatch(m -> "finished".equals(m.at("/search/status").asText())));
        assertThat(viewer.messages.get(0).get("type").asText()).isEqualTo("search");
        viewer.socket.sendText("not json", true).join();
        Eventually.waitFor("an error answer", Duration.ofSeconds(10), () -> viewer.messages.stream()
                .anyMatch(m -> "error".equals(m.path("type").asText())));
        viewer.socket.abort();
    }

    @Test
    void unitsOfALayerAndTheOptimizerCanBeSearchedTogetherOnAClassifier() {
        Response created = server.post("/api/searches", """
                {"data": {"dataset": "xor"}, "training": {"epochs": 60},
                 "grid": {"network.layers[0].units": [2, 8], "training.optimizer": ["sgd", "adam"]}, "folds": 2}""");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode search = finished(created.json().get("id").asText());
        assertThat(search.get("scoring").asText()).isEqualTo("accuracy");
        assertThat(search.get("results")).hasSize(4);
        assertThat(search.at("/results/3/params/network.layers[0].units").asInt()).isEqualTo(8);
        assertThat(search.at("/results/3/params/training.optimizer").asText()).isEqualTo("adam");
        for (JsonNode result : search.get("results")) {
            assertThat(result.get("meanScore").asDouble()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void badGridsAreA400NamingTheFieldAndStoppingIsForTheOwner() {
        Response unknown = server.post("/api/searches", """
                {"data": {"dataset": "celsius"}, "grid": {"training.speed": [1, 2]}}""");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/field").asText()).isEqualTo("grid.training.speed");
        Response badValue = server.post("/api/searches", """
                {"data": {"dataset": "celsius"}, "grid": {"training.learningRate": [0.1, -1]}}""");
        assertThat(badValue.status()).isEqualTo(400);
        assertThat(badValue.json().at("/error/field").asText()).isEqualTo("grid.training.learningRate");
        Response data = server.post("/api/searches", """
                {"data": {"dataset": "celsius"}, "grid": {"data.dataset": ["xor"]}}""");
        assertThat(data.status()).isEqualTo(400);
        Response tooMany = server.post("/api/searches", """
                {"data": {"dataset": "celsius"}, "folds": 10,
                 "grid": {"training.learningRate": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0],
                          "training.epochs": [1, 2, 3]}}""");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/error/message").asText()).contains("300", "200");
        Response folds = server.post("/api/searches", """
                {"data": {"dataset": "celsius"}, "folds": 1, "grid": {"training.learningRate": [0.1]}}""");
        assertThat(folds.json().at("/error/field").asText()).isEqualTo("folds");

        Response created = server.post("/api/searches", """
                {"data": {"dataset": "spirals"}, "training": {"epochs": 3000},
                 "grid": {"training.learningRate": [0.01, 0.02]}}""");
        String id = created.json().get("id").asText();
        assertThat(server.post("/api/searches/" + id + "/stop", "").status()).isEqualTo(403);
        Response stopped = server.post("/api/searches/" + id + "/stop", "",
                "Authorization", "Bearer " + created.json().get("ownerToken").asText());
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("status").asText()).isEqualTo("stopped");
        assertThat(server.get("/api/searches/nope").status()).isEqualTo(404);
    }
}
