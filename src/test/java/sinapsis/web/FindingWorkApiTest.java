package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/**
 * What lets a person find their work again and read it in their language: readable default
 * names, searches listed and linked both ways with their inherited settings, the editor's
 * starting values from one place, and numbers echoed in the reader's notation.
 */
class FindingWorkApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void aNewSessionIsNamedByItsDataSetAndTimeUnlessTheRequestNamesIt() {
        JsonNode unnamed = server.post("/api/sessions", "{\"data\": {\"dataset\": \"spirals\"}, \"training\": {\"epochs\": 1}}",
                "Accept-Language", "es").json();
        String name = server.get("/api/sessions/" + unnamed.get("id").asText() + "?history=false").json()
                .get("name").asText();
        assertThat(name).startsWith("Dos espirales · ").matches(".* · \\d{1,2}/\\d{1,2}/\\d{2,4},? \\d{1,2}:\\d{2}");

        String pasted = server.post("/api/sessions", """
                {"data": {"csv": "x,y\\n1,2\\n2,4\\n3,6\\n4,8", "inputs": ["x"], "targets": ["y"]},
                 "training": {"epochs": 1}}""", "Accept-Language", "en").json().get("id").asText();
        assertThat(server.get("/api/sessions/" + pasted + "?history=false").json().get("name").asText())
                .startsWith("Pasted table · ");

        String named = server.post("/api/sessions", "{\"name\": \"  Grados, grupo B \", \"data\": {\"dataset\": \"celsius\"},"
                + " \"training\": {\"epochs\": 1}}").json().get("id").asText();
        assertThat(server.get("/api/sessions/" + named + "?history=false").json().get("name").asText())
                .isEqualTo("Grados, grupo B");

        Response tooLong = server.post("/api/sessions", "{\"name\": \"" + "n".repeat(101) + "\", \"data\": {\"dataset\": \"celsius\"}}",
                "Accept-Language", "es");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().at("/error/field").asText()).isEqualTo("name");
        Response notText = server.post("/api/sessions", "{\"name\": 7, \"data\": {\"dataset\": \"celsius\"}}");
        assertThat(notText.status()).isEqualTo(400);
        assertThat(notText.json().at("/error/field").asText()).isEqualTo("name");
    }

    @Test
    void aSearchIsListedWithItsInheritedSettingsAndItsRefitLinksBackToIt() {
        Response created = server.post("/api/searches", """
                {"data": {"dataset": "celsius"},
                 "network": {"layers": [{"type": "dense", "units": 1}]},
                 "training": {"optimizer": "adam", "epochs": 40,
                              "earlyStopping": {"monitor": "loss", "patience": 3, "minDelta": 0.001}},
                 "grid": {"training.learningRate": [0.1, 0.5]}, "folds": 2}""", "Accept-Language", "es");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        JsonNode search = server.ended("/api/searches/" + id);

        // the settings every combination shares, early stopping included, the grid's own field left to the grid
        JsonNode base = search.get("base");
        assertThat(base.at("/training/epochs").asInt()).isEqualTo(40);
        assertThat(base.at("/training/earlyStopping/patience").asInt()).isEqualTo(3);
        assertThat(base.at("/network/layers/0/units").asInt()).isEqualTo(1);
        assertThat(base.has("grid")).isFalse();
        assertThat(base.at("/data/dataset").asText()).isEqualTo("celsius");

        JsonNode listed = server.get("/api/searches?ids=" + id + ",unknown-id-000000").json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(id);
        assertThat(listed.get(0).get("status").asText()).isEqualTo("finished");
        assertThat(listed.get(0).get("dataset").asText()).isEqualTo("celsius");
        assertThat(listed.get(0).get("bestSessionUrl").asText()).startsWith("/s/");
        assertThat(listed.get(0).has("results")).as("the list leaves the curves out").isFalse();

        String refit = search.get("bestSessionId").asText();
        assertThat(server.get("/api/searches?refit=" + refit).json().at("/search/url").asText())
                .isEqualTo("/searches/" + id);
        assertThat(server.get("/api/sessions/" + refit + "?history=false").json().get("name").asText())
                .startsWith("Mejor de la búsqueda: Celsius → Fahrenheit · ");
        String other = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 1}}")
                .json().get("id").asText();
        assertThat(server.get("/api/searches?refit=" + other).json().get("search").isNull()).isTrue();

        Response tooMany = server.get("/api/searches?ids=" + String.join(",",
                java.util.stream.IntStream.rangeClosed(0, 200).mapToObj(i -> "search" + i).toList()));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/error/field").asText()).isEqualTo("ids");
    }

    @Test
    void theEditorsStartingValuesComeFromTheServer() {
        JsonNode defaults = server.get("/api/defaults").json();
        assertThat(defaults.at("/training/epochs").asInt()).isPositive();
        assertThat(defaults.at("/training/shuffle").asBoolean()).isTrue();
        assertThat(defaults.at("/earlyStopping/patience").asInt()).isEqualTo(7);
        assertThat(defaults.at("/layers/dense/units").asInt()).isEqualTo(3);
        assertThat(defaults.at("/layers/conv2d/kernel").asInt()).isEqualTo(3);
        assertThat(defaults.at("/layers/maxpool2d/size").asInt()).isEqualTo(2);
        assertThat(defaults.at("/layers/dropout/rate").asDouble()).isEqualTo(0.25);
        assertThat(defaults.at("/layers/flatten/type").asText()).isEqualTo("flatten");
    }

    @Test
    void aNumberEchoedInAnErrorIsWrittenAsTheReaderWritesIt() {
        Response spanish = server.post("/api/searches", """
                {"data": {"dataset": "celsius"}, "grid": {"training.batchSize": [2.5]}}""", "Accept-Language", "es");
        assertThat(spanish.status()).isEqualTo(400);
        assertThat(spanish.json().at("/error/message").asText()).contains("2,5").doesNotContain("2.5");
        Response english = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"epochs": 2.5}}""", "Accept-Language", "en");
        assertThat(english.json().at("/error/message").asText()).contains("2.5");
        Response tiny = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"learningRate": -0.00001}}""", "Accept-Language", "es");
        assertThat(tiny.status()).isEqualTo(400);
        assertThat(tiny.json().at("/error/message").asText()).as("not rounded to 0").contains("0,00001");
    }
}
