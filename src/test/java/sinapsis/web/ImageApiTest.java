package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.FashionSample;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** Convolutional networks over HTTP: generated shapes, a pasted image CSV, and Fashion-MNIST from a local copy. */
class ImageApiTest {
    private static final String SMALL_CNN = """
            {"layers": [{"type": "conv2d", "filters": 8, "kernel": 3, "activation": "relu"},
                        {"type": "maxpool2d", "size": 2},
                        {"type": "conv2d", "filters": 16, "kernel": 3, "activation": "relu"},
                        {"type": "maxpool2d", "size": 2},
                        {"type": "flatten"},
                        {"type": "dense", "units": 32, "activation": "relu"},
                        {"type": "dense", "units": %d, "activation": "softmax"}]}""";
    /** The course's Fashion-MNIST network, with {@code %d} output classes. */
    private static final String COURSE_CNN = """
            {"layers": [{"type": "conv2d", "filters": 32, "kernel": 3, "activation": "relu"},
                        {"type": "maxpool2d", "size": 2},
                        {"type": "conv2d", "filters": 64, "kernel": 3, "activation": "relu"},
                        {"type": "maxpool2d", "size": 2},
                        {"type": "conv2d", "filters": 64, "kernel": 3, "activation": "relu"},
                        {"type": "flatten"},
                        {"type": "dense", "units": 64, "activation": "relu"},
                        {"type": "dense", "units": %d, "activation": "softmax"}]}""";

    @RegisterExtension
    static final RunningServer server = new RunningServer(FashionSample.temporaryCopy());


    static String jsonString(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean pythonCompiles(String program) {
        try {
            Path file = Files.createTempFile("sinapsis_keras", ".py");
            Files.writeString(file, program);
            Process python = new ProcessBuilder("python3", "-m", "py_compile", file.toString()).redirectErrorStream(true)
                    .start();
            python.getInputStream().readAllBytes();
            return python.waitFor() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String create(String body) {
        Response created = server.post("/api/sessions", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void aSmallCnnLearnsTheGeneratedShapesWellAboveChance() {
        String id = create("""
                {"data": {"dataset": "shapes", "trainingRows": 600},
                 "network": %s,
                 "training": {"loss": "crossentropy", "optimizer": "adam", "learningRate": 0.002, "epochs": 4,
                              "batchSize": 16, "validationSplit": 0.2}}""".formatted(SMALL_CNN.formatted(6)));
        JsonNode session = server.ended("/api/sessions/" + id);
        assertThat(session.get("status").asText()).isEqualTo("finished");
        assertThat(session.at("/data/image/width").asInt()).isEqualTo(28);
        assertThat(session.at("/data/trainRows").asInt()).isEqualTo(480);
        assertThat(session.at("/data/testRows").asInt()).isEqualTo(300);
        assertThat(session.at("/summary/layers/0/outputShape").asText()).isEqualTo("(None, 26, 26, 8)");
        assertThat(session.get("history")).hasSize(4);
        assertThat(session.at("/history/3/metrics/val_accuracy").isNumber()).isTrue();
        double testAccuracy = session.at("/result/metrics/test_accuracy").asDouble();
        assertThat(testAccuracy).isGreaterThan(0.6); // chance is 1/6
        assertThat(session.at("/result/metrics/test_loss").asDouble()).isPositive();
        int total = 0;
        for (JsonNode row : session.at("/result/confusionMatrix")) {
            for (JsonNode cell : row) {
                total += cell.asInt();
            }
        }
        assertThat(total).isEqualTo(300);
        assertThat(session.at("/result/weights")).isEmpty();

        JsonNode english = server.get("/api/sessions/" + id, "Accept-Language", "en").json();
        assertThat(english.at("/data/classNames/0").asText()).isEqualTo("Circle");
        JsonNode spanish = server.get("/api/sessions/" + id, "Accept-Language", "es").json();
        assertThat(spanish.at("/data/classNames/2").asText()).isEqualTo("Triángulo");

        JsonNode samples = server.get("/api/sessions/" + id + "/samples?count=12").json();
        assertThat(samples.get("split").asText()).isEqualTo("test");
        assertThat(samples.get("images")).hasSize(12);
        JsonNode first = samples.at("/images/0");
        assertThat(first.get("pixels")).hasSize(784);
        assertThat(first.get("label").asInt()).isBetween(0, 5);
        assertThat(first.get("predicted").asInt()).isBetween(0, 5);
        assertThat(first.get("probability").asDouble()).isBetween(1 / 6.0, 1.0);

        // a drawn image, as the page sends it: 784 grey levels
        StringBuilder pixels = new StringBuilder();
        for (JsonNode p : first.get("pixels")) {
            pixels.append(pixels.length() == 0 ? "" : ",").append(p.asInt());
        }
        Response predicted = server.post("/api/sessions/" + id + "/predict", "{\"inputs\": [[" + pixels + "]]}");
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        assertThat(predicted.json().at("/labels/0").asText()).matches("[0-5]");
    }

    @Test
    void thePastedCsvLayoutTrainsTheCourseCnnAndItsSummaryHas93322Parameters() {
        String id = create("""
                {"data": {"csv": %s},
                 "network": %s,
                 "training": {"loss": "categorical_crossentropy", "optimizer": "adam", "learningRate": 0.001,
                              "epochs": 1, "batchSize": 32, "validationSplit": 0.2}}"""
                .formatted(jsonString(FashionSample.csv(200)), COURSE_CNN.formatted(10)));
        JsonNode session = server.ended("/api/sessions/" + id);
        assertThat(session.get("status").asText()).as(session.toString()).isEqualTo("finished");
        assertThat(session.at("/summary/totalParameters").asLong()).isEqualTo(93_322);
        assertThat(session.at("/summary/layers/4/outputShape").asText()).isEqualTo("(None, 3, 3, 64)");
        assertThat(session.at("/data/inputs")).hasSize(784);
        assertThat(session.at("/result/metrics/val_accuracy").isNumber()).isTrue();
        assertThat(server.get("/api/sessions/" + id + "/samples").json().get("split").asText()).isEqualTo("validation");
        assertThat(server.get("/api/sessions/" + id + "/code/dl4j").status()).isEqualTo(400);
        String pytorch = server.get("/api/sessions/" + id + "/code/pytorch").body();
        assertThat(pytorch).contains("nn.Conv2d(1, 32, 3, stride=1)", "nn.MaxPool2d(2, stride=2)", "nn.Flatten()",
                "nn.Linear(576, 64)", "/ 255.0", "transpose(0, 3, 1, 2)", "nn.CrossEntropyLoss()");
        assertThat(pythonCompiles(pytorch)).as(pytorch).isTrue();
        assertThat(server.get("/api/sessions/" + id + "/model.zip").status()).isEqualTo(400);
        String keras = server.get("/api/sessions/" + id + "/code/keras").body();
        assertThat(keras).contains("keras.layers.Conv2D(32, (3, 3), strides=1, padding=\"valid\", activation=\"relu\")",
                "keras.layers.MaxPooling2D((2, 2)", "keras.layers.Flatten()", "/ 255.0", "validation_split=0.2");
        assertThat(pythonCompiles(keras)).as(keras).isTrue();
        String data = server.get("/api/sessions/" + id + "/training-data.csv").body();
        assertThat(data.split("\n")).hasSize(201);
        assertThat(data).startsWith("label,pixel1,");
    }

    @Test
    void fashionMnistFromALocalCopyKeepsItsTestSplitAndNamesItsClasses() {
        assertThat(server.get("/api/datasets/fashion-mnist").json().get("state").asText()).isEqualTo("available");
        Response download = server.post("/api/datasets/fashion-mnist/download", "");
        assertThat(download.status()).isEqualTo(409);
        String id = create("""
                {"data": {"dataset": "fashion-mnist", "trainingRows": 100},
                 "network": %s,
                 "training": {"epochs": 1, "batchSize": 32, "validationSplit": 0.1}}""".formatted(SMALL_CNN.formatted(10)));
        JsonNode session = server.ended("/api/sessions/" + id);
        assertThat(session.get("status").asText()).as(session.toString()).isEqualTo("finished");
        assertThat(session.at("/data/trainRows").asInt()).isEqualTo(90);
        assertThat(session.at("/data/testRows").asInt()).isEqualTo(200);
        assertThat(session.at("/spec/data/trainingRows").asInt()).isEqualTo(100);
        JsonNode spanish = server.get("/api/sessions/" + id, "Accept-Language", "es").json();
        assertThat(spanish.at("/data/classNames/0").asText()).isEqualTo("Camiseta/top");
        assertThat(spanish.at("/data/classNames/9").asText()).isEqualTo("Botín");
        String csv = server.get("/api/sessions/" + id + "/data.csv").body();
        assertThat(csv).startsWith("label,pixel1,pixel2,");
        assertThat(csv.split("\n")).hasSize(1 + 100 + 200);
    }

    @Test
    void impossibleShapesAndMisplacedLayersAreRefusedNamingTheLayer() {
        Response tooLarge = server.post("/api/sessions", """
                {"data": {"dataset": "shapes"},
                 "network": {"layers": [{"type": "conv2d", "filters": 4, "kernel": 3},
                                        {"type": "maxpool2d", "size": 2},
                                        {"type": "conv2d", "filters": 4, "kernel": 15},
                                        {"type": "flatten"}, {"type": "dense", "units": 6, "activation": "softmax"}]},
                 "training": {"epochs": 1}}""", "Accept-Language", "en");
        assertThat(tooLarge.status()).isEqualTo(400);
        assertThat(tooLarge.json().at("/error/field").asText()).isEqualTo("network.layers[2]");
        assertThat(tooLarge.json().at("/error/message").asText()).contains("15×15", "(13, 13, 4)");

        Response afterFlatten = server.post("/api/sessions", """
                {"data": {"dataset": "shapes"},
                 "network": {"layers": [{"type": "flatten"}, {"type": "conv2d", "filters": 4, "kernel": 3},
                                        {"type": "flatten"}, {"type": "dense", "units": 6, "activation": "softmax"}]},
                 "training": {"epochs": 1}}""", "Accept-Language", "es");
        assertThat(afterFlatten.status()).isEqualTo(400);
        assertThat(afterFlatten.json().at("/error/field").asText()).isEqualTo("network.layers[1].type");
        assertThat(afterFlatten.json().at("/error/message").asText()).contains("Conv2D", "(784,)");

        Response onTable = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"},
                 "network": {"layers": [{"type": "dropout", "rate": 0.5}, {"type": "dense", "units": 1}]},
                 "training": {"epochs": 1}}""");
        assertThat(onTable.status()).isEqualTo(400);
        assertThat(onTable.json().at("/error/field").asText()).isEqualTo("network.layers");

        Response badRate = server.post("/api/sessions", """
                {"data": {"dataset": "shapes"},
                 "network": {"layers": [{"type": "flatten"}, {"type": "dropout", "rate": 1.5},
                                        {"type": "dense", "units": 6, "activation": "softmax"}]},
                 "training": {"epochs": 1}}""");
        assertThat(badRate.status()).isEqualTo(400);
        assertThat(badRate.json().at("/error/field").asText()).isEqualTo("network.layers[1].rate");
    }

    @Test
    void aBatchTooLargeForTheServersMemoryIsRefusedSayingWhatFits() {
        String courseCnn = COURSE_CNN.formatted(6);
        // the whole training split (960 of the 1200 shapes) in one batch: 38 394 values an image, 12 bytes each,
        // and its parameters 12 times (weights, gradient, Adam's two moments, 8 batch parts' gradients)
        Response whole = server.post("/api/sessions", """
                {"data": {"dataset": "shapes"}, "network": %s,
                 "training": {"epochs": 1, "batchSize": 0, "validationSplit": 0.2}}""".formatted(courseCnn),
                "Accept-Language", "en");
        assertThat(whole.status()).isEqualTo(400);
        assertThat(whole.json().at("/error/field").asText()).isEqualTo("training.batchSize");
        assertThat(whole.json().at("/error/message").asText()).contains("960 images", "427 MB", "256 MB",
                "at most 572 images");

        Response course = server.post("/api/sessions", """
                {"data": {"dataset": "shapes"}, "network": %s,
                 "training": {"epochs": 1, "batchSize": 572, "validationSplit": 0.2}}""".formatted(courseCnn));
        assertThat(course.status()).as(course.body()).isEqualTo(201);
    }
}
