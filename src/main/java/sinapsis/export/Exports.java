package sinapsis.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.training.EpochEvent;
import sinapsis.training.Experiment;
import sinapsis.training.Scaler;

/**
 * Downloads: the history as CSV and as Keras's {@code history.history}, the data as the network
 * sees it, and the trained model as a zip (Dense networks: DL4J has the format, image networks are
 * exported as Keras and PyTorch code instead).
 */
public final class Exports {
    private static final ObjectMapper JSON = sinapsis.json.Json.mapper();

    private Exports() {
    }

    /** Refuses, naming the network, what only a Dense network can be exported as (DL4J's model, DL4J code). */
    public static void refuseImageNetworks(sinapsis.model.NetworkSpec network) {
        if (network.hasImageLayers()) {
            throw new sinapsis.model.InvalidSpecException("network", "error.imageNetworksNotExported");
        }
    }

    /** Metric columns in Keras order: loss, val_loss, then the others (each followed by its val_ twin). */
    private static List<String> metricNames(List<EpochEvent> history) {
        TreeSet<String> others = new TreeSet<>();
        boolean validation = false;
        for (EpochEvent event : history) {
            validation |= event.valLoss() != null;
            others.addAll(event.metrics().keySet());
        }
        List<String> names = new ArrayList<>(List.of("loss"));
        if (validation) {
            names.add("val_loss");
        }
        others.stream().filter(name -> !name.startsWith("val_")).forEach(name -> {
            names.add(name);
            if (others.contains("val_" + name)) {
                names.add("val_" + name);
            }
        });
        return names;
    }

    private static Double value(EpochEvent event, String name) {
        return switch (name) {
            case "loss" -> event.loss();
            case "val_loss" -> event.valLoss();
            default -> event.metrics().get(name);
        };
    }

    /** Images in the common CSV layout {@code label,pixel1,…}: the class label, then grey levels. */
    public static String imageCsv(sinapsis.data.Problem problem) {
        StringBuilder out = new StringBuilder(problem.rows() * problem.inputCount() * 3);
        out.append(sinapsis.data.ImageLayout.LABEL);
        problem.inputNames().forEach(name -> out.append(',').append(name));
        out.append('\n');
        for (int r = 0; r < problem.rows(); r++) {
            out.append(problem.classes().get(sinapsis.training.Results.classIndex(problem.y()[r])));
            for (double pixel : problem.x()[r]) {
                out.append(',').append(Math.round(pixel));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The problem's numbers as CSV: a header of input and output names, then one row a line. */
    public static String trainingDataCsv(sinapsis.data.Problem problem) {
        StringBuilder out = new StringBuilder();
        List<String> names = new ArrayList<>(problem.inputNames());
        names.addAll(problem.outputNames());
        for (int c = 0; c < names.size(); c++) {
            out.append(c > 0 ? "," : "").append(csvField(names.get(c)));
        }
        out.append('\n');
        for (int r = 0; r < problem.rows(); r++) {
            double[] x = problem.x()[r];
            double[] y = problem.y()[r];
            for (int c = 0; c < x.length; c++) {
                out.append(c > 0 ? "," : "").append(x[c]);
            }
            for (double value : y) {
                out.append(',').append(value);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A CSV field, quoted when it holds a separator, a quote or a line break. */
    private static String csvField(String text) {
        return text.matches("[^\",\r\n]*") ? text : "\"" + text.replace("\"", "\"\"") + "\"";
    }

    /** {@code epoch,loss,val_loss,…}: one row per epoch, empty where an epoch has no value. */
    public static String historyCsv(List<EpochEvent> history) {
        List<String> names = metricNames(history);
        StringBuilder out = new StringBuilder("epoch");
        names.forEach(name -> out.append(',').append(name));
        out.append('\n');
        for (EpochEvent event : history) {
            out.append(event.epoch());
            for (String name : names) {
                Double v = value(event, name);
                out.append(',');
                if (v != null) {
                    out.append(v);
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** Keras's {@code history.history}: {@code {"loss": [...], "val_loss": [...], "accuracy": [...]}}. */
    public static ObjectNode historyJson(List<EpochEvent> history) {
        ObjectNode node = JSON.createObjectNode();
        for (String name : metricNames(history)) {
            ArrayNode values = node.putArray(name);
            for (EpochEvent event : history) {
                Double v = value(event, name);
                if (v == null) {
                    values.addNull();
                } else {
                    values.add(v);
                }
            }
        }
        return node;
    }

    /** A zip: {@code model.zip} (DL4J's format), {@code normalization.json} and a README on loading it in Java. */
    public static void modelZip(SessionService sessions, Session session, ObjectNode spec, OutputStream out)
            throws IOException {
        refuseImageNetworks(session.spec().network());
        Experiment experiment = session.run().experiment();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("model.zip"));
            sessions.writeModel(session, new NonClosing(zip));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("normalization.json"));
            ObjectNode normalization = JSON.createObjectNode();
            normalization.set("inputs", scaler(experiment.inputScaler(), experiment.problem().inputNames()));
            normalization.set("outputs", scaler(experiment.targetScaler(), experiment.problem().outputNames()));
            experiment.problem().classes().forEach(normalization.putArray("classes")::add);
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(normalization));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("spec.json"));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("README.md"));
            zip.write(readme(session, experiment).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
    }

    private static ObjectNode scaler(Scaler scaler, List<String> names) {
        ObjectNode node = JSON.createObjectNode();
        names.forEach(node.putArray("columns")::add);
        ArrayNode mean = node.putArray("mean");
        ArrayNode std = node.putArray("std");
        for (int i = 0; i < scaler.mean().length; i++) {
            mean.add(scaler.mean()[i]);
            std.add(scaler.std()[i]);
        }
        return node;
    }

    private static String readme(Session session, Experiment experiment) {
        boolean scaled = experiment.training().standardize();
        String inputs = String.join(", ", experiment.problem().inputNames());
        String outputs = String.join(", ", experiment.problem().outputNames());
        String example = "0.0" + ", 0.0".repeat(experiment.problem().inputCount() - 1);
        return """
                # Sinapsis model %s

                `model.zip` is a Deeplearning4j `MultiLayerNetwork` (written by DL4J's `ModelSerializer`,
                version 1.0.0-M2.1). Inputs: %s. Outputs: %s.

                ```xml
                <dependency>
                  <groupId>org.deeplearning4j</groupId>
                  <artifactId>deeplearning4j-nn</artifactId>
                  <version>1.0.0-M2.1</version>
                </dependency>
                <dependency>
                  <groupId>org.nd4j</groupId>
                  <artifactId>nd4j-native-platform</artifactId>
                  <version>1.0.0-M2.1</version>
                </dependency>
                ```

                ```java
                import java.io.File;
                import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
                import org.nd4j.linalg.api.ndarray.INDArray;
                import org.nd4j.linalg.factory.Nd4j;

                MultiLayerNetwork net = MultiLayerNetwork.load(new File("model.zip"), false);
                INDArray x = Nd4j.create(new double[][] {{%s}}).castTo(net.params().dataType());
                INDArray y = net.output(x);
                System.out.println(y);
                ```

                %s
                `spec.json` is the session's spec; Sinapsis loads it back into its editor (*Cargar spec / Load spec*).
                """.formatted(session.id(), inputs, outputs, example, scaled
                ? "This session standardised its data. Scale each input as `(x - mean) / std` with the values in\n"
                + "`normalization.json` (`inputs`) before calling `output`, and turn each output back with\n"
                + "`y * std + mean` (`outputs`).\n"
                : "The network takes inputs in their original units and gives outputs in original units\n"
                + "(`normalization.json` holds means of 0 and standard deviations of 1).\n");
    }

    /** Lets DL4J close "its" stream without closing the zip around it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
