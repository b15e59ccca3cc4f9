package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** The live playground over HTTP: the surface, pause, step and resume, and the pace. */
class PlaygroundApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private record Owned(String id, String bearer) {
    }

    private static Owned create(String body) {
        Response created = server.post("/api/sessions", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Owned(created.json().get("id").asText(), "Bearer " + created.json().get("ownerToken").asText());
    }

    private static Response owner(Owned session, String action) {
        return server.post("/api/sessions/" + session.id() + "/" + action, "", "Authorization", session.bearer());
    }

    private static int epochs(Owned session) {
        JsonNode history = server.get("/api/sessions/" + session.id()).json().get("history");
        return history.isEmpty() ? 0 : history.get(history.size() - 1).get("epoch").asInt();
    }

    private static String status(Owned session) {
        return server.get("/api/sessions/" + session.id() + "?history=false").json().get("status").asText();
    }

    @Test
    void theClassificationSurfaceIsExactlyWhatPredictAnswersAtItsPoints() {
        Owned xor = create("{\"data\": {\"dataset\": \"spirals\"}, \"training\": {\"epochs\": 40}}");
        server.ended("/api/sessions/" + xor.id());
        JsonNode surface = server.get("/api/sessions/" + xor.id() + "/surface?x=x&y=y&size=64&units=true").json();
        assertThat(surface.get("size").asInt()).isEqualTo(64);
        assertThat(surface.at("/x/column").asText()).isEqualTo("x");
        assertThat(surface.get("classes")).hasSize(2);
        JsonNode probabilities = surface.get("probabilities");
        assertThat(probabilities).hasSize(64);
        assertThat(probabilities.get(0)).hasSize(64);
        assertThat(surface.get("units")).as("two hidden layers of 32").hasSize(64);
        double xMin = surface.at("/x/min").asDouble();
        double xMax = surface.at("/x/max").asDouble();
        double yMin = surface.at("/y/min").asDouble();
        double yMax = surface.at("/y/max").asDouble();
        int[][] cells = {{0, 0}, {63, 63}, {10, 50}, {31, 7}, {45, 22}};
        StringBuilder inputs = new StringBuilder();
        for (int[] cell : cells) {
            double x = xMin + cell[1] * (xMax - xMin) / 63;
            double y = yMin + cell[0] * (yMax - yMin) / 63;
            inputs.append(inputs.length() == 0 ? "" : ",").append("[").append(x).append(",").append(y).append("]");
        }
        JsonNode predicted = server.post("/api/sessions/" + xor.id() + "/predict", "{\"inputs\": [" + inputs + "]}")
                .json().get("outputs");
        for (int p = 0; p < cells.length; p++) {
            JsonNode cell = probabilities.get(cells[p][0]).get(cells[p][1]);
            for (int c = 0; c < 2; c++) {
                assertThat(cell.get(c).asDouble()).as("cell %s class %d", java.util.Arrays.toString(cells[p]), c)
                        .isEqualTo(predicted.get(p).get(c).asDouble());
            }
        }
    }

    @Test
    void aCurveOverOneInputHoldsTheOthersAtTheirMeanOrWhereAsked() {
        Owned heart = create("""
                {"data": {"csv": "a,b,t\\n0,1,1\\n1,3,3\\n2,5,5\\n3,7,7\\n4,9,9", "inputs": ["a", "b"], "targets": ["t"]},
                 "network": {"layers": [{"type": "dense", "units": 1}]}, "training": {"epochs": 20}}""");
        server.ended("/api/sessions/" + heart.id());
        JsonNode curve = server.get("/api/sessions/" + heart.id() + "/surface?x=a&size=5").json();
        assertThat(curve.get("held").get("b").asDouble()).as("the training mean").isEqualTo(5.0);
        assertThat(curve.get("values")).hasSize(5);
        assertThat(curve.get("target").asText()).isEqualTo("t");
        JsonNode predicted = server.post("/api/sessions/" + heart.id() + "/predict",
                "{\"inputs\": [[0, 5], [4, 5]]}").json().get("outputs");
        assertThat(curve.get("values").get(0).asDouble()).isEqualTo(predicted.get(0).get(0).asDouble());
        assertThat(curve.get("values").get(4).asDouble()).isEqualTo(predicted.get(1).get(0).asDouble());
        JsonNode heldAt = server.get("/api/sessions/" + heart.id() + "/surface?x=a&size=5&at.b=-2").json();
        assertThat(heldAt.get("held").get("b").asDouble()).isEqualTo(-2.0);
    }

    @Test
    void badSurfaceQueriesAreRefusedNamingTheField() {
        Owned celsius = create("{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 5}}");
        server.ended("/api/sessions/" + celsius.id());
        String base = "/api/sessions/" + celsius.id() + "/surface";
        String[][] cases = {{"?x=kelvin", "x"}, {"", "x"}, {"?x=celsius&size=1", "size"},
            {"?x=celsius&size=ten", "size"}, {"?x=celsius&at.celsius=3", "at.celsius"}, {"?x=celsius&at.nope=3", "at.nope"},
            {"?x=celsius&units=maybe", "units"}, {"?x=celsius&y=celsius", "y"}, {"?x=celsius&zoom=2", "zoom"},
            {"?x=celsius&size=100000", "size"}};
        for (String[] bad : cases) {
            Response answer = server.get(base + bad[0], "Accept-Language", "es");
            assertThat(answer.status()).as(bad[0]).isEqualTo(400);
            assertThat(answer.json().at("/error/field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
    }

    @Test
    void aPausedRunHoldsStillStepsExactlyOneEpochAndResumesToTheEnd() throws Exception {
        Owned run = create("{\"data\": {\"dataset\": \"xor\"}, \"training\": {\"epochs\": 300, \"pace\": 100}}");
        sinapsis.support.WsViewer viewer = new sinapsis.support.WsViewer(server.port(), "/ws/sessions/" + run.id());
        try {
            Eventually.waitFor("a few epochs", Duration.ofSeconds(30), () -> epochs(run) > 3);
            assertThat(owner(run, "pause").status()).isEqualTo(200);
            Eventually.waitFor("paused", Duration.ofSeconds(10), () -> status(run).equals("paused"));
            Eventually.waitFor("viewers told", Duration.ofSeconds(10), () -> "paused".equals(viewer.lastStatus()));
            int paused = epochs(run);
            Thread.sleep(2000);
            assertThat(epochs(run)).as("no epoch while paused").isEqualTo(paused);
            assertThat(status(run)).isEqualTo("paused");
            JsonNode surface = server.get("/api/sessions/" + run.id() + "/surface?x=x&y=y&size=8").json();
            assertThat(surface.get("epoch").asInt()).as("the live surface is the paused model's").isEqualTo(paused);

            assertThat(owner(run, "step").status()).isEqualTo(200);
            Eventually.waitFor("one step", Duration.ofSeconds(10), () -> epochs(run) == paused + 1);
            Thread.sleep(500);
            assertThat(epochs(run)).as("exactly one epoch").isEqualTo(paused + 1);
            assertThat(status(run)).isEqualTo("paused");

            assertThat(server.post("/api/sessions/" + run.id() + "/pause", "").status()).as("only its owner")
                    .isEqualTo(403);
            assertThat(owner(run, "pause").status()).as("already paused").isEqualTo(409);
            assertThat(owner(run, "resume").status()).isEqualTo(200);
            JsonNode ended = server.ended("/api/sessions/" + run.id());
            assertThat(ended.get("status").asText()).as("resumed, it finishes").isEqualTo("finished");
            assertThat(ended.get("history")).as("every epoch once").hasSize(300);
            assertThat(owner(run, "resume").status()).as("over").isEqualTo(409);
            assertThat(owner(run, "step").status()).as("over").isEqualTo(409);
        } finally {
            viewer.socket.sendClose(1000, "done");
        }
    }

    @Test
    void aPacedRunTakesAboutEpochsOverPace() {
        Owned run = create("{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 30, \"pace\": 10}}");
        long start = System.nanoTime();
        JsonNode ended = server.ended("/api/sessions/" + run.id());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(ended.get("history")).hasSize(30);
        assertThat(seconds).as("30 epochs at 10 a second").isGreaterThan(2.5);
        assertThat(ended.at("/spec/training/pace").asDouble()).isEqualTo(10.0);
        Response tooFast = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"pace\": -1}}");
        assertThat(tooFast.status()).isEqualTo(400);
        assertThat(tooFast.json().at("/error/field").asText()).isEqualTo("training.pace");
    }

    private static java.util.List<JsonNode> frames(sinapsis.support.WsViewer viewer) {
        return viewer.messages.stream().filter(m -> m.has("live")).map(m -> m.get("live")).toList();
    }

    @Test
    void viewersGetLiveFramesAtMostTenASecondAndMayChooseTheirAxes() throws Exception {
        Owned run = create("""
                {"data": {"csv": "a,b,c,k\\n0,1,5,x\\n1,3,4,y\\n2,5,3,x\\n3,7,2,y\\n4,9,1,x\\n5,2,0,y",
                 "inputs": ["a", "b", "c"], "targets": ["k"]},
                 "network": {"layers": [{"type": "dense", "units": 20, "activation": "tanh"},
                                        {"type": "dense", "units": 2, "activation": "softmax"}]},
                 "training": {"loss": "crossentropy", "epochs": 100000, "pace": 500}}""");
        sinapsis.support.WsViewer viewer = new sinapsis.support.WsViewer(server.port(), "/ws/sessions/" + run.id());
        try {
            Eventually.waitFor("live frames", Duration.ofSeconds(20), () -> frames(viewer).size() >= 3);
            JsonNode first = frames(viewer).get(0);
            assertThat(first.get("network")).as("two layers").hasSize(2);
            assertThat(first.at("/network/0/units").asInt()).isEqualTo(20);
            assertThat(first.at("/network/0/weights/0")).as("16 of 20 units shown").hasSize(16);
            assertThat(first.at("/surface/x/column").asText()).isEqualTo("a");
            assertThat(first.at("/surface/y/column").asText()).isEqualTo("b");
            assertThat(first.at("/surface/held/c").asDouble()).as("the training mean").isEqualTo(2.5);
            byte[] cells = java.util.Base64.getDecoder().decode(first.at("/surface/predicted").asText());
            assertThat(cells).hasSize(64 * 64);
            assertThat(first.at("/surface/units")).as("the 16 shown hidden units").hasSize(16);
            assertThat(java.util.Base64.getDecoder().decode(first.at("/surface/units/0/values").asText()))
                    .as("a 16×16 thumbnail").hasSize(16 * 16);

            int before = frames(viewer).size();
            Thread.sleep(2000);
            int inTwoSeconds = frames(viewer).size() - before;
            assertThat(inTwoSeconds).as("frames in 2 s").isBetween(5, 22);
            java.util.List<Integer> epochs = frames(viewer).stream().map(f -> f.get("epoch").asInt()).toList();
            assertThat(epochs).as("the frames follow the run").isSorted();
            assertThat(epochs.get(epochs.size() - 1)).isGreaterThan(epochs.get(0));

            viewer.socket.sendText("{\"type\": \"view\", \"x\": \"c\", \"y\": \"a\", \"at\": {\"b\": 4}}", true);
            Eventually.waitFor("the chosen axes", Duration.ofSeconds(10), () -> {
                java.util.List<JsonNode> all = frames(viewer);
                return all.get(all.size() - 1).at("/surface/x/column").asText().equals("c");
            });
            java.util.List<JsonNode> all = frames(viewer);
            assertThat(all.get(all.size() - 1).at("/surface/held/b").asDouble()).isEqualTo(4.0);

            viewer.socket.sendText("{\"type\": \"view\", \"x\": \"nope\"}", true);
            Eventually.waitFor("the refusal", Duration.ofSeconds(10), () -> viewer.messages.stream()
                    .anyMatch(m -> "error".equals(m.path("type").asText()) && "x".equals(m.path("field").asText())));
        } finally {
            viewer.socket.sendClose(1000, "done");
            owner(run, "stop");
        }
    }

    @Test
    void theClassicTwoInputSetsAreGeneratedFromKindPointsNoiseAndSeedAndTrain() {
        for (String kind : new String[] {"circle", "xor", "gauss", "spiral", "plane", "multigauss"}) {
            String body = "{\"kind\": \"" + kind + "\", \"points\": 120, \"noise\": 0.2, \"seed\": 7}";
            JsonNode set = server.post("/api/datasets/generate", body).json();
            String[] lines = set.get("csv").asText().split("\n");
            assertThat(lines).as(kind).hasSize(121);
            assertThat(lines[0]).isEqualTo(kind.equals("plane") || kind.equals("multigauss") ? "x,y,value" : "x,y,class");
            assertThat(server.post("/api/datasets/generate", body).json().get("csv").asText())
                    .as("the same seed, the same points").isEqualTo(set.get("csv").asText());
            assertThat(server.post("/api/datasets/generate", body.replace("\"seed\": 7", "\"seed\": 8")).json()
                    .get("csv").asText()).as("another seed").isNotEqualTo(set.get("csv").asText());
        }
        JsonNode circle = server.post("/api/datasets/generate", "{\"kind\": \"circle\", \"points\": 200, \"noise\": 0}")
                .json();
        Owned run = create("{\"data\": {\"csv\": " + circle.get("csv").toString()
                + ", \"inputs\": [\"x\", \"y\"], \"targets\": [\"class\"]},"
                + " \"network\": {\"layers\": [{\"units\": 8, \"activation\": \"tanh\"},"
                + " {\"units\": 2, \"activation\": \"softmax\"}]},"
                + " \"training\": {\"loss\": \"crossentropy\", \"learningRate\": 0.05, \"epochs\": 300, \"validationSplit\": 0.3}}");
        JsonNode ended = server.ended("/api/sessions/" + run.id());
        assertThat(ended.at("/result/metrics/val_accuracy").asDouble()).as("a circle is learned").isGreaterThan(0.9);
        String[][] bad = {{"{\"kind\": \"moons\"}", "kind"}, {"{\"kind\": \"xor\", \"points\": 5}", "points"},
            {"{\"kind\": \"xor\", \"noise\": 3}", "noise"}, {"{\"kind\": \"xor\", \"points\": \"many\"}", "points"},
            {"{\"kind\": \"xor\", \"colour\": 1}", "colour"}};
        for (String[] request : bad) {
            Response answer = server.post("/api/datasets/generate", request[0]);
            assertThat(answer.status()).as(request[0]).isEqualTo(400);
            assertThat(answer.json().at("/error/field").asText()).as(request[0]).isEqualTo(request[1]);
        }
    }

    @Test
    void anImageNetworkShowsWhatEachConvolutionAndPoolingLayerRespondsTo() {
        Owned cnn = create("""
                {"data": {"dataset": "shapes", "trainingRows": 120},
                 "network": {"layers": [{"type": "conv2d", "filters": 12, "kernel": 3, "activation": "relu"},
                                        {"type": "maxpool2d", "size": 2}, {"type": "flatten"},
                                        {"type": "dense", "units": 6, "activation": "softmax"}]},
                 "training": {"loss": "crossentropy", "epochs": 2, "batchSize": 32}}""");
        server.ended("/api/sessions/" + cnn.id());
        JsonNode maps = server.get("/api/sessions/" + cnn.id() + "/activations?sample=3").json();
        assertThat(maps.get("epoch").asInt()).isEqualTo(2);
        assertThat(maps.get("sample").asInt()).isEqualTo(3);
        JsonNode layers = maps.get("layers");
        assertThat(layers).hasSize(2);
        assertThat(layers.get(0).get("type").asText()).isEqualTo("Conv2D");
        assertThat(layers.get(0).get("channels").asInt()).isEqualTo(12);
        assertThat(layers.get(0).get("maps")).as("the first 8 channels").hasSize(8);
        assertThat(layers.get(1).get("type").asText()).isEqualTo("MaxPooling2D");
        assertThat(layers.get(1).get("height").asInt()).isEqualTo(13);
        JsonNode first = layers.get(0).get("maps").get(0);
        assertThat(java.util.Base64.getDecoder().decode(first.get("values").asText())).hasSize(26 * 26);
        assertThat(first.get("min").asDouble()).as("after the ReLU").isGreaterThanOrEqualTo(0);
        assertThat(server.get("/api/sessions/" + cnn.id() + "/activations?sample=-1").json().at("/error/field").asText())
                .isEqualTo("sample");
        assertThat(server.get("/api/sessions/" + cnn.id() + "/activations?sample=x").status()).isEqualTo(400);
        Owned table = create("{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"epochs\": 2}}");
        server.ended("/api/sessions/" + table.id());
        assertThat(server.get("/api/sessions/" + table.id() + "/activations").status()).isEqualTo(400);
        assertThat(server.get("/api/sessions/" + cnn.id() + "/surface?x=a").status()).as("no surface for images")
                .isEqualTo(400);
    }

    @Test
    void derivedInputsLetOneNeuronSeparateXorAndPredictionsTakeTheTwoColumns() {
        Owned xor = create("""
                {"data": {"dataset": "xor", "features": ["xy", "x2"]},
                 "network": {"layers": [{"type": "dense", "units": 2, "activation": "softmax"}]},
                 "training": {"loss": "crossentropy", "learningRate": 0.1, "epochs": 300, "validationSplit": 0.2}}""");
        JsonNode ended = server.ended("/api/sessions/" + xor.id());
        assertThat(ended.at("/data/inputs")).hasSize(2);
        assertThat(ended.at("/data/features").toString()).isEqualTo("[\"x·y\",\"x²\"]");
        assertThat(ended.at("/spec/data/features").toString()).isEqualTo("[\"xy\",\"x2\"]");
        assertThat(ended.at("/summary/totalParameters").asInt()).as("(2 + 2 derived) × 2 + 2").isEqualTo(10);
        assertThat(ended.at("/result/metrics/val_accuracy").asDouble()).as("x·y makes XOR linear").isGreaterThan(0.9);
        JsonNode predicted = server.post("/api/sessions/" + xor.id() + "/predict", "{\"inputs\": [[0.8, 0.8], [0.8, -0.8]]}")
                .json();
        assertThat(predicted.get("labels").toString()).isEqualTo("[\"0\",\"1\"]");
        JsonNode surface = server.get("/api/sessions/" + xor.id() + "/surface?x=x&y=y&size=5").json();
        assertThat(surface.at("/probabilities/4/4/0").asDouble()).as("the top-right corner, as predicted")
                .isEqualTo(server.post("/api/sessions/" + xor.id() + "/predict", "{\"inputs\": [["
                        + surface.at("/x/max").asDouble() + ", " + surface.at("/y/max").asDouble() + "]]}")
                        .json().at("/outputs/0/0").asDouble());
        assertThat(server.get("/api/sessions/" + xor.id() + "/code/keras").body()).contains("x·y");
        Response threeInputs = server.post("/api/sessions", """
                {"data": {"csv": "a,b,c,t\\n1,2,3,4\\n2,3,4,5", "inputs": ["a", "b", "c"], "targets": ["t"],
                 "features": ["xy"]}}""");
        assertThat(threeInputs.status()).isEqualTo(400);
        assertThat(threeInputs.json().at("/error/field").asText()).isEqualTo("data.features");
        Response unknown = server.post("/api/sessions", "{\"data\": {\"dataset\": \"xor\", \"features\": [\"cos\"]}}");
        assertThat(unknown.json().at("/error/field").asText()).isEqualTo("data.features[0]");
    }
}
