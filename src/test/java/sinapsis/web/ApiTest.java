package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** The JSON API against a real server on a free port, training with ND4J. */
class ApiTest {
    private static final String CELSIUS = "celsius,fahrenheit\\n-40,-40\\n-10,14\\n0,32\\n8,46\\n15,59\\n22,72\\n38,100";
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static JsonNode finished(String id) {
        return server.ended("/api/sessions/" + id);
    }

    @Test
    void healthSaysWhichBackendComputes() {
        JsonNode health = server.get("/api/health").json();
        assertThat(health.get("status").asText()).isEqualTo("ok");
        assertThat(health.get("backend").asText()).isIn("CPU", "CUDA");
        assertThat(health.get("device").asText()).isNotBlank();
        assertThat(health.get("version").asText()).isNotBlank();
    }

    @Test
    void healthCountsTheStatementsThisNodeSentToItsDatabase() {
        long before = server.get("/api/health").json().get("databaseStatements").asLong();
        assertThat(server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}}").status()).isEqualTo(201);
        long after = server.get("/api/health").json().get("databaseStatements").asLong();
        assertThat(after).as("a health answer's own and a session's creation").isGreaterThan(before + 3);
    }

    @Test
    void listsTheBuiltInDatasetsWithNamesInBothLanguages() {
        JsonNode datasets = server.get("/api/datasets").json();
        assertThat(datasets).hasSizeGreaterThanOrEqualTo(8);
        JsonNode celsius = datasets.get(0);
        assertThat(celsius.get("id").asText()).isEqualTo("celsius");
        assertThat(celsius.at("/name/es").asText()).isEqualTo("Celsius → Fahrenheit");
        assertThat(celsius.at("/description/es").asText()).contains("Una neurona");
        assertThat(celsius.at("/description/en").asText()).contains("One neuron");
        assertThat(celsius.get("rows").asInt()).isEqualTo(7);
        assertThat(celsius.get("inputs").get(0).asText()).isEqualTo("celsius");
    }

    @Test
    void theBuiltInCelsiusDefaultsLearnTheNotebooksLine() {
        Response created = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}}");
        JsonNode session = finished(created.json().get("id").asText());
        assertThat(session.get("history")).as("the seed notebook trains 1000 epochs").hasSize(1000);
        assertThat(session.at("/result/equation/weight").asDouble()).isCloseTo(1.8, within(0.01));
        assertThat(session.at("/result/equation/bias").asDouble()).isCloseTo(32, within(0.2));
    }

    @Test
    void trainsCelsiusToFahrenheitAndPredicts100DegreesAsTheCourseDoes() {
        Response created = server.post("/api/sessions", """
                {"data": {"csv": "%s", "inputs": ["celsius"], "targets": ["fahrenheit"]},
                 "network": {"layers": [{"type": "dense", "units": 1, "activation": "linear"}]},
                 "training": {"loss": "mean_squared_error", "optimizer": "Adam", "learningRate": 0.1, "epochs": 500}}
                """.formatted(CELSIUS));
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("url").asText()).isEqualTo("/s/" + id);

        JsonNode session = finished(id);
        assertThat(session.get("status").asText()).isEqualTo("finished");
        assertThat(session.get("history")).hasSize(500);
        assertThat(session.at("/history/0/seq").asLong()).isEqualTo(1);
        assertThat(session.at("/history/499/loss").asDouble()).isLessThan(session.at("/history/0/loss").asDouble());
        assertThat(session.get("startedAt").asLong()).isPositive();
        assertThat(session.get("finishedAt").asLong()).isGreaterThanOrEqualTo(session.get("startedAt").asLong());
        assertThat(session.at("/result/equation/weight").asDouble()).isCloseTo(1.8, within(0.05));
        assertThat(session.at("/result/summary/totalParameters").asInt()).isEqualTo(2);
        assertThat(session.at("/result/metrics/r2").asDouble()).isGreaterThan(0.99);

        JsonNode prediction = server.post("/api/sessions/" + id + "/predict", "{\"inputs\": [[100]]}").json();
        assertThat(prediction.at("/outputs/0/0").asDouble()).isCloseTo(211.7, within(1.5));
        JsonNode withoutHistory = server.get("/api/sessions/" + id + "?history=false").json();
        assertThat(withoutHistory.has("history")).isFalse();
        assertThat(withoutHistory.at("/result/equation/weight").isNumber()).isTrue();
    }

    @Test
    void classifiesXorWithSoftmaxAndReportsAccuracyAndConfusionMatrix() {
        Response created = server.post("/api/sessions", "{\"data\": {\"dataset\": \"xor\"}}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode session = finished(created.json().get("id").asText());
        assertThat(session.get("status").asText()).isEqualTo("finished");
        assertThat(session.at("/data/classes")).hasSize(2);
        assertThat(session.at("/history/0/metrics/accuracy").isNumber()).isTrue();
        assertThat(session.at("/history/0/valLoss").isNumber()).isTrue();
        assertThat(session.at("/result/metrics/accuracy").asDouble()).isGreaterThan(0.85);
        JsonNode confusion = session.at("/result/confusionMatrix");
        int total = 0;
        for (JsonNode row : confusion) {
            for (JsonNode cell : row) {
                total += cell.asInt();
            }
        }
        assertThat(total).isEqualTo(session.at("/data/rows").asInt());
        JsonNode prediction = server.post("/api/sessions/" + session.get("id").asText() + "/predict",
                "{\"inputs\": [[0.8, -0.8], [0.8, 0.8]]}").json();
        assertThat(prediction.get("labels").get(0).asText()).isEqualTo("1");
        assertThat(prediction.get("labels").get(1).asText()).isEqualTo("0");
    }

    @Test
    void understandsSpanishSpreadsheetExports() {
        String csv = "horas;nota\\n1,5;3,1\\n2,0;4,0\\n3,5;7,1\\n4,0;8,0";
        Response created = server.post("/api/sessions", """
                {"data": {"csv": "%s", "inputs": ["horas"], "targets": ["nota"]},
                 "network": {"layers": [{"units": 1}]}, "training": {"epochs": 5}}""".formatted(csv));
        assertThat(created.status()).isEqualTo(201);
        assertThat(finished(created.json().get("id").asText()).at("/data/decimalComma").asBoolean()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            learning rate ≤ 0      | {"data":{"dataset":"celsius"},"training":{"learningRate":0}}                  | training.learningRate | mayor que cero
            epochs ≤ 0             | {"data":{"dataset":"celsius"},"training":{"epochs":0}}                        | training.epochs       | mayor que cero
            epochs over limit      | {"data":{"dataset":"celsius"},"training":{"epochs":100000000}}                | training.epochs       | límite
            unknown activation     | {"data":{"dataset":"celsius"},"network":{"layers":[{"units":1,"activation":"swish"}]}} | network.layers[0].activation | swish
            unknown loss           | {"data":{"dataset":"celsius"},"training":{"loss":"hinge"}}                    | training.loss         | hinge
            unknown optimizer      | {"data":{"dataset":"celsius"},"training":{"optimizer":"lbfgs"}}               | training.optimizer    | lbfgs
            output units mismatch  | {"data":{"dataset":"celsius"},"network":{"layers":[{"units":2}]}}             | network.layers        | 2 unidades
            too many parameters    | {"data":{"dataset":"celsius"},"network":{"layers":[{"units":4000},{"units":4000},{"units":1}]}} | network.layers | parámetros
            empty table            | {"data":{"csv":" ","inputs":["a"],"targets":["b"]}}                           | data                  | tabla
            ragged rows            | {"data":{"csv":"a,b\\n1,2\\n3","inputs":["a"],"targets":["b"]}}                | data.csv              | línea 3
            non-numeric input      | {"data":{"csv":"a,b\\n1,2\\nx,4","inputs":["a"],"targets":["b"]}}              | data.inputs           | «x»
            NaN in data            | {"data":{"csv":"a,b\\n1,2\\nNaN,4","inputs":["a"],"targets":["b"]}}            | data.inputs           | finito
            duplicate column       | {"data":{"csv":"a,a\\n1,2","inputs":["a"],"targets":["a"]}}                    | data.targets          | a la vez
            duplicate header       | {"data":{"csv":"a,a,b\\n1,2,3","inputs":["a"],"targets":["b"]}}                | data.csv              | dos veces
            empty column name      | {"data":{"csv":"a,,b\\n1,2,3","inputs":["a"],"targets":["b"]}}                 | data.csv              | nombre
            missing target column  | {"data":{"csv":"a,b\\n1,2","inputs":["a"],"targets":["c"]}}                    | data.targets          | «c»
            no targets             | {"data":{"csv":"a,b\\n1,2","inputs":["a"],"targets":[]}}                       | data.targets          | objetivo
            unknown field          | {"data":{"dataset":"celsius"},"training":{"earlyStop":true}}                  | training.earlyStop    | earlyStop
            labels need softmax    | {"data":{"dataset":"xor"},"network":{"layers":[{"units":2,"activation":"linear"}]}} | network.layers[0].activation | softmax
            """)
    void refusesBadInputWithTheFieldAndASpanishMessage(String name, String body, String field, String fragment) {
        Response response = server.post("/api/sessions", body, "Accept-Language", "es-ES,es;q=0.9");
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().at("/error/field").asText()).isEqualTo(field);
        assertThat(response.json().at("/error/message").asText()).contains(fragment);
    }

    @Test
    void errorsFollowTheRequestLanguage() {
        String body = "{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"learningRate\":-1}}";
        assertThat(server.post("/api/sessions", body, "Accept-Language", "en-US").json().at("/error/message")
                .asText()).isEqualTo("It must be greater than zero, found -1.");
        assertThat(server.post("/api/sessions", body, "Cookie", "lang=es").json().at("/error/message").asText())
                .isEqualTo("Debe ser mayor que cero; se recibió -1.");
    }

    @Test
    void badRequestsLeaveARunningSessionUntouched() {
        String id = server.post("/api/sessions",
                "{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"epochs\":3000,\"learningRate\":0.05}}")
                .json().get("id").asText();
        for (String bad : new String[] {"{", "[]", "null", "{\"data\":{\"csv\":\"a,b\\nNaN,1\",\"inputs\":[\"a\"],"
                + "\"targets\":[\"b\"]}}", "{\"data\":{\"dataset\":\"celsius\"},\"network\":{\"layers\":"
                + "[{\"units\":4096},{\"units\":4096},{\"units\":1}]}}"}) {
            assertThat(server.post("/api/sessions", bad).status()).as(bad).isEqualTo(400);
            assertThat(server.post("/api/sessions/" + id + "/predict", bad).status()).as(bad).isEqualTo(400);
        }
        JsonNode session = finished(id);
        assertThat(session.get("status").asText()).isEqualTo("finished");
        assertThat(session.get("history")).hasSize(3000);
    }

    @Test
    void malformedJsonIsA400AndTheServerCarriesOn() {
        Response response = server.post("/api/sessions", "{not json", "Accept-Language", "es");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/message").asText()).contains("JSON");
        assertThat(server.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void aPasteOverTheSizeLimitIsRefusedNamingTheLimit() {
        String big = "a,b\\n" + "1,2\\n".repeat(2_800_000);
        Response response = server.post("/api/sessions",
                "{\"data\":{\"csv\":\"" + big + "\",\"inputs\":[\"a\"],\"targets\":[\"b\"]}}",
                "Accept-Language", "es");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/field").asText()).isEqualTo("data.csv");
        assertThat(response.json().at("/error/message").asText()).contains("10.485.760");
        assertThat(server.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheRequestLimitIsRefusedEvenWhenChunked() throws Exception {
        try (RunningServer small = new RunningServer(new sinapsis.training.nd4j.Nd4jTrainer(),
                new sinapsis.model.Limits(1000, 100, 10, 1000, 100), 1)) {
            byte[] body = ("{\"data\":{\"csv\":\"" + "1,2\\n".repeat(300_000) + "\"}}").getBytes();
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(small.url("/api/sessions")))
                    .header("Accept-Language", "en").header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(body)))
                    .build();
            var response = java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("too large");
            assertThat(small.get("/api/health").status()).isEqualTo(200);
        }
    }

    @Test
    void previewsAPastedTable() {
        JsonNode table = server.post("/api/tables/preview", "{\"csv\":\"x\\ty\\n1,5\\t2\\n3\\t4\"}").json();
        assertThat(table.get("columns")).hasSize(2);
        assertThat(table.get("rows").asInt()).isEqualTo(2);
        assertThat(table.get("decimalComma").asBoolean()).isTrue();
    }

    @Test
    void anUnknownSessionIs404() {
        assertThat(server.get("/api/sessions/nope").status()).isEqualTo(404);
        assertThat(server.post("/api/sessions/nope/predict", "{\"inputs\":[[1]]}").status()).isEqualTo(404);
        assertThat(server.post("/api/sessions/nope/stop", "").status()).isEqualTo(404);
        assertThat(server.get("/s/nope").status()).isEqualTo(404);
    }

    @Test
    void stopKeepsWhatWasLearnedSoFar() {
        Response created = server.post("/api/sessions",
                "{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"epochs\":100000,\"learningRate\":0.05}}");
        String id = created.json().get("id").asText();
        String owner = "Bearer " + created.json().get("ownerToken").asText();
        Eventually.waitFor("some epochs", Duration.ofSeconds(30),
                () -> server.get("/api/sessions/" + id).json().get("history").size() > 10);
        assertThat(server.post("/api/sessions/" + id + "/stop", "", "Authorization", owner).status()).isEqualTo(200);
        JsonNode session = finished(id);
        assertThat(session.get("status").asText()).isEqualTo("stopped");
        assertThat(session.get("history").size()).isBetween(11, 99_999);
        assertThat(session.at("/result/weights/0/weights/0/0").isNumber()).isTrue();
        assertThat(server.post("/api/sessions/" + id + "/predict", "{\"inputs\":[[1]]}").status()).isEqualTo(200);
    }

    @Test
    void aDivergingRunFailsWithAdvice() {
        Response created = server.post("/api/sessions", "{\"data\":{\"dataset\":\"apples-oranges-5\"},"
                + "\"training\":{\"optimizer\":\"sgd\",\"learningRate\":1,\"epochs\":200}}", "Accept-Language", "es");
        String id = created.json().get("id").asText();
        assertThat(finished(id).get("status").asText()).isEqualTo("failed");
        JsonNode session = server.get("/api/sessions/" + id, "Accept-Language", "es").json();
        assertThat(session.at("/error/message").asText()).contains("tasa de aprendizaje");
    }

    @Test
    void predictRefusesRowsOfTheWrongWidth() {
        String id = server.post("/api/sessions", "{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"epochs\":3}}")
                .json().get("id").asText();
        finished(id);
        Response response = server.post("/api/sessions/" + id + "/predict", "{\"inputs\":[[1,2]]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/field").asText()).isEqualTo("inputs");
    }

    @Test
    void thePageFollowsTheBrowserLanguageAndTheSwitch() {
        assertThat(server.get("/", "Accept-Language", "es-MX,es;q=0.9").body()).contains("Entrenar");
        assertThat(server.get("/", "Accept-Language", "en-GB").body()).contains(">Train<");
        assertThat(server.get("/?lang=es", "Accept-Language", "en-GB").body()).contains("Entrenar");
        assertThat(server.get("/api/health").status()).isEqualTo(200);
        assertThat(server.get("/webjars/chart.js/4.5.1/dist/chart.umd.min.js").status()).isEqualTo(200);
        assertThat(server.get("/static/js/main.js").status()).isEqualTo(200);
    }
}
