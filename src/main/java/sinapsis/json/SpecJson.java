package sinapsis.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import sinapsis.model.Activation;
import sinapsis.model.DataSpec;
import sinapsis.model.Feature;
import sinapsis.model.EarlyStopping;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.LayerSpec;
import sinapsis.model.LayerType;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.Padding;
import sinapsis.model.SessionSpec;
import sinapsis.model.Task;
import sinapsis.model.TrainingSpec;

/**
 * Reads and writes the API's spec JSON ({@code data}, {@code network}, {@code training}). Every
 * bad value is refused with the JSON path of its field. A built-in data set fills in what the
 * request leaves out from its suggested configuration.
 */
public final class SpecJson {
    private static final Set<String> TOP = Set.of("data", "network", "training");
    private static final Set<String> DATA = Set.of("csv", "dataset", "inputs", "targets", "trainingRows", "features");
    private static final Map<LayerType, Set<String>> LAYER_FIELDS = Map.of(
            LayerType.DENSE, Set.of("type", "units", "activation"),
            LayerType.CONV2D, Set.of("type", "filters", "kernel", "stride", "padding", "activation"),
            LayerType.MAXPOOL2D, Set.of("type", "size", "stride", "padding"),
            LayerType.FLATTEN, Set.of("type"),
            LayerType.DROPOUT, Set.of("type", "rate"));
    private static final Set<String> TRAINING = Set.of("loss", "optimizer", "learningRate", "epochs", "batchSize",
            "shuffle", "seed", "validationSplit", "standardize", "earlyStopping", "task", "pace", "l1", "l2");
    private static final Set<String> EARLY_STOPPING = Set.of("monitor", "patience", "minDelta", "restoreBestWeights");

    public static final int MAX_CSV_ECHO = 1_000_000;

    private final ObjectMapper json;
    private final Function<String, JsonNode> suggestedFor;

    /** @param suggestedFor a built-in data set's suggested {@code network}/{@code training}, or null */
    public SpecJson(Function<String, JsonNode> suggestedFor) {
        this.json = Json.mapper();
        this.suggestedFor = suggestedFor;
    }

    public SessionSpec read(JsonNode body) {
        requireObject("", body);
        knownFields("", body, TOP);
        DataSpec data = data(body.get("data"));
        JsonNode suggested = data.isBuiltIn() ? suggestedFor.apply(data.dataset()) : null;
        JsonNode network = body.get("network");
        if (network == null) {
            network = suggested != null ? suggested.get("network") : defaultNetwork(data);
        }
        JsonNode training = body.has("training") ? body.get("training") : json.createObjectNode();
        if (suggested != null && suggested.has("training") && training.isObject()) {
            ObjectNode merged = suggested.get("training").deepCopy();
            merged.setAll((ObjectNode) training);
            training = merged;
        }
        return new SessionSpec(data, network(network), training(training));
    }

    private DataSpec data(JsonNode node) {
        requireObject("data", node);
        knownFields("data", node, DATA);
        return new DataSpec(optionalText("data.csv", node.get("csv")), optionalText("data.dataset",
                node.get("dataset")), strings("data.inputs", node.get("inputs")),
                strings("data.targets", node.get("targets")),
                optionalInteger("data.trainingRows", node.get("trainingRows"), 0), features(node.get("features")));
    }

    /** {@code ["x2", "xy", …]}: derived inputs (see {@link Feature}); absent or null: none. */
    private static List<Feature> features(JsonNode node) {
        List<Feature> features = new java.util.ArrayList<>();
        List<String> ids = node == null || node.isNull() ? List.of() : strings("data.features", node);
        for (int i = 0; i < ids.size(); i++) {
            features.add(Feature.parse("data.features[" + i + "]", ids.get(i)));
        }
        return features;
    }

    /** Without a network: one linear neuron per target column, the course's first model. */
    private JsonNode defaultNetwork(DataSpec data) {
        ObjectNode network = json.createObjectNode();
        network.putArray("layers").addObject().put("type", "dense")
                .put("units", Math.max(1, data.targets().size())).put("activation", "linear");
        return network;
    }

    public NetworkSpec network(JsonNode node) {
        requireObject("network", node);
        knownFields("network", node, Set.of("layers"));
        JsonNode layers = node.get("layers");
        if (layers == null || !layers.isArray()) {
            throw new InvalidSpecException("network.layers", "error.notList");
        }
        List<LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            String path = "network.layers[" + i + "]";
            JsonNode layer = layers.get(i);
            requireObject(path, layer);
            LayerType type = layer.has("type")
                    ? LayerType.parse(path + ".type", text(path + ".type", layer.get("type"))) : LayerType.DENSE;
            knownFields(path, layer, LAYER_FIELDS.get(type));
            specs.add(layer(path, type, layer));
        }
        return new NetworkSpec(specs);
    }

    public TrainingSpec training(JsonNode node) {
        requireObject("training", node);
        knownFields("training", node, TRAINING);
        TrainingSpec d = TrainingSpec.defaults();
        return new TrainingSpec(
                node.has("loss") ? LossKind.parse("training.loss", text("training.loss", node.get("loss"))) : d.loss(),
                node.has("optimizer") ? OptimizerKind.parse("training.optimizer",
                        text("training.optimizer", node.get("optimizer"))) : d.optimizer(),
                node.has("learningRate") ? number("training.learningRate", node.get("learningRate")) : d.learningRate(),
                node.has("epochs") ? integer("training.epochs", node.get("epochs")) : d.epochs(),
                node.has("batchSize") ? integer("training.batchSize", node.get("batchSize")) : d.batchSize(),
                node.has("shuffle") ? bool("training.shuffle", node.get("shuffle")) : d.shuffle(),
                node.has("seed") ? integer("training.seed", node.get("seed")) : d.seed(),
                node.has("validationSplit") ? number("training.validationSplit", node.get("validationSplit"))
                        : d.validationSplit(),
                node.has("standardize") ? bool("training.standardize", node.get("standardize")) : d.standardize(),
                earlyStopping(node.get("earlyStopping"), node.has("validationSplit")
                        && node.get("validationSplit").isNumber() && node.get("validationSplit").asDouble() > 0),
                node.hasNonNull("task") ? Task.parse("training.task", text("training.task", node.get("task")))
                        : Task.AUTO,
                node.hasNonNull("pace") ? number("training.pace", node.get("pace")) : d.pace(),
                node.hasNonNull("l1") ? number("training.l1", node.get("l1")) : d.l1(),
                node.hasNonNull("l2") ? number("training.l2", node.get("l2")) : d.l2());
    }

    /** Absent or null: none. The monitor defaults to {@code val_loss} when there is validation data, else {@code loss}. */
    private static EarlyStopping earlyStopping(JsonNode node, boolean hasValidation) {
        if (node == null || node.isNull()) {
            return null;
        }
        String path = "training.earlyStopping";
        requireObject(path, node);
        knownFields(path, node, EARLY_STOPPING);
        return new EarlyStopping(
                node.has("monitor") ? EarlyStopping.Monitor.parse(path + ".monitor", text(path + ".monitor",
                        node.get("monitor"))) : hasValidation ? EarlyStopping.Monitor.VAL_LOSS : EarlyStopping.Monitor.LOSS,
                node.has("patience") ? integer(path + ".patience", node.get("patience")) : 0,
                node.has("minDelta") ? number(path + ".minDelta", node.get("minDelta")) : 0,
                node.has("restoreBestWeights") && bool(path + ".restoreBestWeights", node.get("restoreBestWeights")));
    }

    /** The spec in the request's shape; a pasted table comes along up to {@link #MAX_CSV_ECHO} characters. */
    public ObjectNode write(SessionSpec spec) {
        return write(spec, false);
    }

    private static LayerSpec layer(String path, LayerType type, JsonNode layer) {
        Activation activation = layer.has("activation")
                ? Activation.parse(path + ".activation", text(path + ".activation", layer.get("activation")))
                : type == LayerType.CONV2D ? Activation.RELU : Activation.LINEAR;
        try {
            return switch (type) {
                case DENSE -> new LayerSpec.Dense(integer(path + ".units", required(path + ".units",
                        layer.get("units"))), activation);
                case CONV2D -> new LayerSpec.Conv2d(integer(path + ".filters", required(path + ".filters",
                                layer.get("filters"))), integer(path + ".kernel", required(path + ".kernel",
                                layer.get("kernel"))), optionalInteger(path + ".stride", layer.get("stride"), 1),
                        padding(path, layer), activation);
                case MAXPOOL2D -> {
                    int size = optionalInteger(path + ".size", layer.get("size"), 2);
                    yield new LayerSpec.MaxPool2d(size, optionalInteger(path + ".stride", layer.get("stride"), size),
                            padding(path, layer));
                }
                case FLATTEN -> new LayerSpec.Flatten();
                case DROPOUT -> new LayerSpec.Dropout(number(path + ".rate", required(path + ".rate",
                        layer.get("rate"))));
            };
        } catch (InvalidSpecException e) {
            throw e.field().startsWith("network.") ? e : e.under(path);
        }
    }

    private static Padding padding(String path, JsonNode layer) {
        return layer.has("padding") ? Padding.parse(path + ".padding", text(path + ".padding", layer.get("padding")))
                : Padding.VALID;
    }

    private static int optionalInteger(String field, JsonNode node, int fallback) {
        return node == null || node.isNull() ? fallback : integer(field, node);
    }

    /** @param wholeCsv true puts a pasted table in whatever its size (a spec file that loads back into the editor) */
    public ObjectNode write(SessionSpec spec, boolean wholeCsv) {
        ObjectNode root = json.createObjectNode();
        ObjectNode data = root.putObject("data");
        if (spec.data().isBuiltIn()) {
            data.put("dataset", spec.data().dataset());
        } else if (wholeCsv || spec.data().csv().length() <= MAX_CSV_ECHO) {
            data.put("csv", spec.data().csv());
        }
        spec.data().inputs().forEach(data.putArray("inputs")::add);
        spec.data().targets().forEach(data.putArray("targets")::add);
        if (spec.data().trainingRows() > 0) {
            data.put("trainingRows", spec.data().trainingRows());
        }
        if (!spec.data().features().isEmpty()) {
            spec.data().features().forEach(feature -> data.withArray("features").add(feature.id()));
        }
        ArrayNode layers = root.putObject("network").putArray("layers");
        spec.network().layers().forEach(layer -> layers.add(writeLayer(layer)));
        root.set("training", writeTraining(spec.training()));
        return root;
    }

    /** One layer as the request writes it: its type and the fields that type has. */
    public ObjectNode writeLayer(LayerSpec layer) {
        ObjectNode node = json.createObjectNode().put("type", layer.type().id());
        if (layer instanceof LayerSpec.Dense dense) {
            node.put("units", dense.units()).put("activation", dense.activation().id());
        } else if (layer instanceof LayerSpec.Conv2d conv) {
            node.put("filters", conv.filters()).put("kernel", conv.kernel()).put("stride", conv.stride())
                    .put("padding", conv.padding().id()).put("activation", conv.activation().id());
        } else if (layer instanceof LayerSpec.MaxPool2d pool) {
            node.put("size", pool.size()).put("stride", pool.stride()).put("padding", pool.padding().id());
        } else if (layer instanceof LayerSpec.Dropout dropout) {
            node.put("rate", dropout.rate());
        }
        return node;
    }

    /** The training settings as the request writes them (the task only when one was chosen). */
    public ObjectNode writeTraining(TrainingSpec t) {
        ObjectNode training = json.createObjectNode().put("loss", t.loss().id()).put("optimizer", t.optimizer().id())
                .put("learningRate", t.learningRate()).put("epochs", t.epochs()).put("batchSize", t.batchSize())
                .put("shuffle", t.shuffle()).put("seed", t.seed()).put("validationSplit", t.validationSplit())
                .put("standardize", t.standardize());
        if (t.earlyStopping() != null) {
            training.set("earlyStopping", writeEarlyStopping(t.earlyStopping()));
        }
        if (t.task() != Task.AUTO) { // only when chosen: answers stay as they were for everyone else
            training.put("task", t.task().id());
        }
        if (t.pace() > 0) {
            training.put("pace", t.pace());
        }
        if (t.l1() > 0) {
            training.put("l1", t.l1());
        }
        if (t.l2() > 0) {
            training.put("l2", t.l2());
        }
        return training;
    }

    public ObjectNode writeEarlyStopping(EarlyStopping e) {
        return json.createObjectNode().put("monitor", e.monitor().id()).put("patience", e.patience())
                .put("minDelta", e.minDelta()).put("restoreBestWeights", e.restoreBestWeights());
    }

    private static void requireObject(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidSpecException(field, "error.required");
        }
        if (!node.isObject()) {
            throw new InvalidSpecException(field, "error.notObject");
        }
    }

    private static void knownFields(String path, JsonNode node, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidSpecException(path.isEmpty() ? name : path + "." + name, "error.unknownField", name);
            }
        }
    }

    private static JsonNode required(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidSpecException(field, "error.required");
        }
        return node;
    }

    private static String text(String field, JsonNode node) {
        if (!node.isTextual()) {
            throw new InvalidSpecException(field, "error.notText");
        }
        return node.asText();
    }

    private static String optionalText(String field, JsonNode node) {
        return node == null || node.isNull() ? null : text(field, node);
    }

    private static double number(String field, JsonNode node) {
        if (!node.isNumber()) {
            throw new InvalidSpecException(field, "error.notNumber", shown(node));
        }
        return node.asDouble();
    }

    /** A request's value echoed in a message: a number in the reader's notation (2,5 for a Spanish page). */
    private static Object shown(JsonNode node) {
        return node.isNumber() ? (Object) node.decimalValue() : node.toString();
    }

    private static int integer(String field, JsonNode node) {
        if (!node.isIntegralNumber() && !(node.isNumber() && node.asDouble() == Math.rint(node.asDouble()))) {
            throw new InvalidSpecException(field, "error.notInteger", shown(node));
        }
        if (!node.canConvertToInt()) {
            throw new InvalidSpecException(field, "error.range", node.toString(), Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        return node.asInt();
    }

    private static boolean bool(String field, JsonNode node) {
        if (!node.isBoolean()) {
            throw new InvalidSpecException(field, "error.notBoolean", node.toString());
        }
        return node.asBoolean();
    }

    private static List<String> strings(String field, JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        if (!node.isArray()) {
            throw new InvalidSpecException(field, "error.notList");
        }
        for (JsonNode item : node) {
            values.add(text(field, item));
        }
        return values;
    }
}
