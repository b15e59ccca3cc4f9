package sinapsis.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.CsvTableParser;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.model.Activation;
import sinapsis.model.EarlyStopping;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;

/** Exported programs compile: Python with {@code py_compile}, Java against this project's DL4J. */
class CodeExportTest {
    private static final BuiltInDatasets DATASETS = BuiltInDatasets.load();

    private static Problem problem(String id, boolean classification, int outputs) {
        var dataset = DATASETS.find(id).orElseThrow();
        return ProblemBuilder.build(new CsvTableParser(Limits.defaults()).parse(dataset.csv()), dataset.inputs(),
                dataset.targets(), classification, outputs);
    }

    /** 700 rows × 4 columns: too large to write inline. */
    private static Problem largeProblem() {
        StringBuilder csv = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < 700; i++) {
            csv.append(i).append(',').append(i % 7).append(',').append(i * 0.5).append(',').append(2 * i + 1).append('\n');
        }
        return ProblemBuilder.build(new CsvTableParser(Limits.defaults()).parse(csv.toString()),
                List.of("a", "b", "c"), List.of("y"), false, 1);
    }

    private static TrainingSpec training(LossKind loss, OptimizerKind optimizer, double validation, boolean standardize,
                                         EarlyStopping early, int batch) {
        return new TrainingSpec(loss, optimizer, 0.05, 40, batch, true, 42, validation, standardize, early);
    }

    static Stream<Arguments> sources() {
        NetworkSpec oneNeuron = NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR));
        return Stream.of(
                Arguments.of(new CodeSource("celsius \"quoted\" \\u000a title", oneNeuron,
                        training(LossKind.MSE, OptimizerKind.ADAM, 0, false,
                                new EarlyStopping(EarlyStopping.Monitor.LOSS, 7, 1e-4, false), 0),
                        problem("celsius", false, 1), "http://localhost/data.csv")),
                Arguments.of(new CodeSource("xor", NetworkSpec.of(LayerSpec.dense(8, Activation.TANH),
                        LayerSpec.dense(2, Activation.SOFTMAX)),
                        training(LossKind.CROSSENTROPY, OptimizerKind.RMSPROP, 0.2, true,
                                new EarlyStopping(EarlyStopping.Monitor.VAL_LOSS, 3, 0, true), 16),
                        problem("xor", true, 2), "http://localhost/data.csv")),
                Arguments.of(new CodeSource("circles", NetworkSpec.of(LayerSpec.dense(6, Activation.LEAKY_RELU),
                        LayerSpec.dense(1, Activation.SIGMOID)),
                        training(LossKind.CROSSENTROPY, OptimizerKind.MOMENTUM, 0, false, null, 0),
                        problem("circles", true, 1), "http://localhost/data.csv")),
                Arguments.of(new CodeSource("heart rate", NetworkSpec.of(LayerSpec.dense(3, Activation.RELU),
                        LayerSpec.dense(1, Activation.LINEAR)),
                        training(LossKind.HUBER, OptimizerKind.SGD, 0.2, true, null, 8),
                        problem("heart-rate-stress", false, 1), "http://localhost/data.csv")),
                Arguments.of(new CodeSource("spirals with l1 and l2", NetworkSpec.of(LayerSpec.dense(8, Activation.TANH),
                        LayerSpec.dense(2, Activation.SOFTMAX)),
                        new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.02, 30, 0, true, 42, 0.2, false,
                                null, sinapsis.model.Task.AUTO, 30, 0.001, 0.01),
                        problem("spirals", true, 2), "http://localhost/data.csv")),
                Arguments.of(new CodeSource("large", NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                        training(LossKind.MAE, OptimizerKind.ADAM, 0.1, true, null, 32), largeProblem(),
                        "http://localhost/api/sessions/x/training-data.csv")));
    }

    @ParameterizedTest
    @MethodSource("sources")
    void pythonExportsCompile(CodeSource source, @TempDir Path dir) throws Exception {
        for (Language language : List.of(Language.KERAS, Language.PYTORCH)) {
            String code = language.write(source);
            assertPythonCompiles(language, code, dir);
            assertThat(code).contains(source.inline() ? "X = np.array(" : "training-data.csv");
            if (source.training().earlyStopping() != null) {
                assertThat(code).contains(language == Language.KERAS ? "keras.callbacks.EarlyStopping(" : "early stopping");
            }
            if (source.training().regularised()) {
                assertThat(code).contains(language == Language.KERAS
                        ? "kernel_regularizer=keras.regularizers.L1L2(l1=0.001, l2=0.01)" : "0.01 * sum((w ** 2).sum()");
            }
        }
    }

    @Test
    void imageExportsCompileAndPadAsKerasDoes(@TempDir Path dir) throws Exception {
        sinapsis.data.ImageSet shapes = sinapsis.data.ShapeImages.generate(5, 30, 10);
        NetworkSpec network = NetworkSpec.of(LayerSpec.conv2d(8, 3, 2, sinapsis.model.Padding.SAME, Activation.RELU),
                new LayerSpec.MaxPool2d(3, 2, sinapsis.model.Padding.SAME),
                LayerSpec.flatten(), LayerSpec.dropout(0.25), LayerSpec.dense(16, Activation.LEAKY_RELU),
                LayerSpec.dense(sinapsis.data.ShapeImages.CLASSES, Activation.SOFTMAX));
        CodeSource source = new CodeSource("shapes", network,
                training(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.2, true,
                        new EarlyStopping(EarlyStopping.Monitor.VAL_LOSS, 2, 0, true), 32),
                shapes.problem(0, sinapsis.data.ShapeImages.CLASSES), "http://localhost/data.csv");
        for (Language language : List.of(Language.KERAS, Language.PYTORCH)) {
            String code = language.write(source);
            assertPythonCompiles(language, code, dir);
            assertThat(code).contains("training-data.csv", "TEST_ROWS = 10", "CLASS_NAMES = [",
                    "print(\"predicted:\", CLASS_NAMES[guess]");
        }
        // 28 → 14 with a 3×3 window every 2 pixels: one pixel of padding, at the bottom and right (TensorFlow's way)
        String pytorch = Language.PYTORCH.write(source);
        assertThat(pytorch).contains("nn.ZeroPad2d((0, 1, 0, 1))", "nn.Conv2d(1, 8, 3, stride=2)",
                "nn.ConstantPad2d((0, 1, 0, 1), float(\"-inf\"))", "nn.MaxPool2d(3, stride=2)", "nn.Dropout(0.25)",
                "nn.Linear(392, 16)", "nn.LeakyReLU(0.3)", "early stopping", "test_accuracy");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void javaExportCompilesAgainstDl4j(CodeSource source, @TempDir Path dir) throws Exception {
        Path classes = compile(Language.DL4J.write(source), dir);
        assertThat(classes.resolve("SinapsisModel.class")).exists();
    }

    @Test
    void theDl4jExportRunsAndLearnsCelsiusToFahrenheit(@TempDir Path dir) throws Exception {
        CodeSource source = new CodeSource("celsius", NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.1, 500, 0, true, 42, 0, false,
                        new EarlyStopping(EarlyStopping.Monitor.LOSS, 7, 1e-4, false)),
                problem("celsius", false, 1), "unused");
        Path classes = compile(Language.DL4J.write(source), dir);
        String output = run(classes);
        assertThat(output).contains("Epoch 1/500 - loss: ", "fahrenheit = ");
    }

    private static void assertPythonCompiles(Language language, String code, Path dir) throws Exception {
        Path file = dir.resolve(language.fileName());
        Files.writeString(file, code);
        Process python = new ProcessBuilder("python3", "-m", "py_compile", file.toString())
                .redirectErrorStream(true).start();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.exitValue()).as(language + ":\n" + output + "\n" + code).isZero();
    }

    private static Path compile(String code, Path dir) throws Exception {
        Path sourceFile = dir.resolve("SinapsisModel.java");
        Files.writeString(sourceFile, code);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, "-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), sourceFile.toString());
        assertThat(status).as(errors.toString(StandardCharsets.UTF_8) + "\n" + code).isZero();
        return classes;
    }

    private static String run(Path classes) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                CodeExportTest.class.getClassLoader())) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            loader.loadClass("SinapsisModel").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
