package sinapsis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sinapsis.json.SpecJson;
import sinapsis.data.Problem;
import sinapsis.data.TableSummary;
import sinapsis.session.Session;
import sinapsis.store.SessionListing;
import sinapsis.training.EarlyStop;
import sinapsis.training.Experiment;
import sinapsis.training.Results;
import sinapsis.training.EpochEvent;
import sinapsis.training.LayerWeights;
import sinapsis.training.SummaryRow;
import sinapsis.training.TrainingResult;
import sinapsis.training.TrainingRun;

/** A session as the API shows it: status, spec, data summary, timestamps, history and result. */
final class SessionJson {
    /** Up to this many rows, the data's points come along for the scatter plot. */
    static final int MAX_POINTS = 5000;

    private final ObjectMapper json;
    private final SpecJson specs;

    SessionJson(ObjectMapper json, SpecJson specs) {
        this.json = json;
        this.specs = specs;
    }

    /** @param withHistory false leaves {@code history} out (the page streams it over the WebSocket) */
    ObjectNode session(Session session, int queuePosition, Locale locale, boolean withHistory) {
        TrainingRun run = session.run();
        ObjectNode node = json.createObjectNode();
        node.put("id", session.id());
        node.put("url", "/s/" + session.id());
        node.put("name", session.name());
        node.put("forkedFrom", session.forkedFrom());
        node.put("status", run.status().id());
        node.put("queuePosition", queuePosition);
        node.put("epochs", session.spec().training().epochs());
        node.set("spec", specs.write(session.spec()));
        node.set("data", data(session, run.experiment().problem(), locale));
        Experiment experiment = run.experiment();
        node.set("summary", summary(Results.summary(experiment),
                experiment.network().parameterCount(experiment.problem().inputShape())));
        node.put("createdAt", session.createdAt());
        putTime(node, "startedAt", run.startedAt());
        putTime(node, "finishedAt", run.finishedAt());
        if (run.failure() != null) {
            node.putObject("error").put("message", Messages.get(locale, run.failure()));
        }
        if (withHistory) {
            ArrayNode history = node.putArray("history");
            run.history().forEach(event -> history.add(event(event)));
        }
        TrainingResult result = run.result();
        if (result != null) {
            node.set("result", result(result, run.experiment().problem()));
        }
        return node;
    }

    /** Keras's model.summary(): layers with output shape and parameter count, and the totals. */
    private ObjectNode summary(List<SummaryRow> rows, long totalParameters) {
        ObjectNode node = json.createObjectNode();
        ArrayNode layers = node.putArray("layers");
        for (SummaryRow row : rows) {
            layers.addObject().put("layer", row.layer()).put("type", row.type())
                    .put("outputShape", row.outputShape()).put("parameters", row.parameters());
        }
        return node.put("totalParameters", totalParameters).put("trainableParameters", totalParameters)
                .put("nonTrainableParameters", 0);
    }

    private static void putTime(ObjectNode node, String field, long millis) {
        if (millis > 0) {
            node.put(field, millis);
        } else {
            node.putNull(field);
        }
    }

    ObjectNode table(TableSummary table) {
        ObjectNode node = json.createObjectNode();
        table.columns().forEach(node.putArray("columns")::add);
        node.put("rows", table.rows());
        node.put("decimalComma", table.decimalComma());
        table.numeric().forEach(node.putArray("numeric")::add);
        table.distinct().forEach(node.putArray("distinct")::add);
        ArrayNode stray = node.putArray("strayText"); // per column: text cells of a column of numbers
        for (List<sinapsis.data.Table.TextCell> cells : table.strayText()) {
            ArrayNode column = stray.addArray();
            cells.forEach(cell -> column.addObject().put("line", cell.line()).put("text", cell.text()));
        }
        ArrayNode preview = node.putArray("preview");
        for (List<String> row : table.preview()) {
            ArrayNode cells = preview.addArray();
            row.forEach(cells::add);
        }
        return node;
    }

    /** What each class is ("Camiseta/top" for Fashion-MNIST's 0) in the reader's language; a pasted table's own labels. */
    static List<String> classNames(String dataset, List<String> classes, Locale locale) {
        return classes.stream().map(label -> {
            String key = "dataset." + dataset + ".class." + label;
            String name = dataset == null ? key : Messages.get(locale, key);
            return name.equals(key) ? label : name;
        }).toList();
    }

    private ObjectNode data(Session session, Problem problem, Locale locale) {
        ObjectNode node = table(session.table());
        problem.inputNames().forEach(node.putArray("inputs")::add);
        problem.targetNames().forEach(node.putArray("targets")::add);
        problem.classes().forEach(node.putArray("classes")::add);
        String dataset = session.spec().data().dataset();
        classNames(dataset, problem.classes(), locale).forEach(node.putArray("classNames")::add);
        problem.outputNames().forEach(node.putArray("outputs")::add);
        node.put("task", problem.isClassification() ? "classification" : "regression");
        node.put("trainRows", session.run().experiment().trainRows());
        node.put("validationRows", problem.fitRows() - session.run().experiment().trainRows());
        node.put("testRows", problem.testRows());
        if (problem.inputShape().isImage()) {
            node.putObject("image").put("height", problem.inputShape().height())
                    .put("width", problem.inputShape().width()).put("channels", problem.inputShape().channels());
        } else if (problem.rows() <= MAX_POINTS) {
            node.set("x", matrix(problem.x()));
            node.set("y", matrix(problem.y()));
        }
        return node;
    }

    /** One line of "My sessions". */
    ObjectNode listing(SessionListing listing) {
        ObjectNode node = json.createObjectNode().put("id", listing.id()).put("url", "/s/" + listing.id())
                .put("name", listing.name()).put("status", listing.status()).put("dataset", listing.dataset())
                .put("createdAt", listing.createdAt()).put("epochs", listing.epochCount());
        if (listing.finalLoss() == null) {
            node.putNull("finalLoss");
        } else {
            node.put("finalLoss", listing.finalLoss());
        }
        ArrayNode curve = node.putArray("curve");
        for (double loss : listing.curve()) {
            curve.add(loss);
        }
        return node;
    }

    ObjectNode event(EpochEvent event) {
        ObjectNode node = json.createObjectNode();
        node.put("seq", event.seq());
        node.put("epoch", event.epoch());
        node.put("loss", event.loss());
        if (event.valLoss() != null) {
            node.put("valLoss", event.valLoss());
        }
        ObjectNode metrics = node.putObject("metrics");
        event.metrics().forEach(metrics::put);
        return node;
    }

    private ObjectNode result(TrainingResult result, Problem problem) {
        ObjectNode node = json.createObjectNode();
        ArrayNode layers = node.putArray("weights");
        // an image network's thousands of kernel values are in the model download, not here
        for (LayerWeights layer : problem.inputShape().isImage() ? List.<LayerWeights>of() : result.weights()) {
            ObjectNode l = layers.addObject();
            l.set("weights", matrix(layer.weights()));
            ArrayNode biases = l.putArray("biases");
            for (double b : layer.biases()) {
                biases.add(b);
            }
        }
        node.set("summary", summary(result.summary(), result.totalParameters()));
        ObjectNode metrics = node.putObject("metrics");
        for (Map.Entry<String, Double> metric : result.metrics().entrySet()) {
            if (Double.isFinite(metric.getValue())) {
                metrics.put(metric.getKey(), metric.getValue());
            }
        }
        if (problem.rows() <= MAX_POINTS && !problem.inputShape().isImage()) {
            node.set("predictions", matrix(result.predictions()));
        }
        if (result.confusionMatrix() != null) {
            ArrayNode confusion = node.putArray("confusionMatrix");
            for (int[] row : result.confusionMatrix()) {
                ArrayNode r = confusion.addArray();
                for (int count : row) {
                    r.add(count);
                }
            }
        }
        if (result.equation() != null) {
            node.putObject("equation").put("weight", result.equation().weight()).put("bias", result.equation().bias());
        }
        if (result.earlyStop() != null) {
            EarlyStop stop = result.earlyStop();
            node.putObject("earlyStop").put("stoppedEpoch", stop.stoppedEpoch()).put("bestEpoch", stop.bestEpoch())
                    .put("bestValue", stop.bestValue()).put("monitor", stop.monitor())
                    .put("restoredBest", stop.restoredBest());
        }
        node.put("epochs", result.epochs());
        node.put("trainingMillis", result.trainingMillis());
        return node;
    }

    ArrayNode matrix(double[][] rows) {
        ArrayNode array = json.createArrayNode();
        for (double[] row : rows) {
            ArrayNode r = array.addArray();
            for (double v : row) {
                r.add(v);
            }
        }
        return array;
    }
}
