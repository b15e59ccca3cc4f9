package sinapsis.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import sinapsis.json.Json;
import sinapsis.model.InvalidSpecException;

/**
 * What an attempt must reach on the held-out rows: a metric ({@code test_accuracy},
 * {@code test_loss} for a classification; {@code test_mae}, {@code test_mse}, {@code test_r2} for a
 * regression, in the data's original units), a comparison and a value. {@code accuracy},
 * {@code val_accuracy} and the like name the same held-out metric.
 */
public record Target(String metric, String op, double value) {
    /** The metrics a target may name, and whether more is better. */
    static final Map<String, Boolean> HIGHER_IS_BETTER = Map.of("test_accuracy", true, "test_loss", false,
            "test_mae", false, "test_mse", false, "test_r2", true);

    public Target {
        metric = canonical(metric);
        if (!HIGHER_IS_BETTER.containsKey(metric)) {
            throw new InvalidSpecException("target.metric", "error.unknownTargetMetric", String.valueOf(metric),
                    String.join(", ", HIGHER_IS_BETTER.keySet().stream().sorted().toList()));
        }
        if (op == null) {
            op = HIGHER_IS_BETTER.get(metric) ? ">=" : "<=";
        }
        op = op.strip().replace('≥', '>').replace('≤', '<');
        op = op.equals(">") ? ">=" : op.equals("<") ? "<=" : op;
        if (!op.equals(">=") && !op.equals("<=")) {
            throw new InvalidSpecException("target.op", "error.unknownTargetOp", op);
        }
        if (!Double.isFinite(value)) {
            throw new InvalidSpecException("target.value", "error.notNumber", String.valueOf(value));
        }
    }

    /** {@code accuracy}, {@code val_accuracy}, {@code test_accuracy}: all the held-out accuracy. */
    private static String canonical(String metric) {
        if (metric == null) {
            return null;
        }
        String name = metric.strip().toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("val_")) {
            name = name.substring(4);
        }
        return name.startsWith("test_") ? name : "test_" + name;
    }

    public static Target read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidSpecException("target", "error.notObject");
        }
        JsonNode value = node.get("value");
        if (value == null || !value.isNumber()) {
            throw new InvalidSpecException("target.value", "error.notNumber", String.valueOf(value));
        }
        JsonNode metric = node.get("metric");
        JsonNode op = node.get("op");
        return new Target(metric == null || !metric.isTextual() ? null : metric.asText(),
                op == null || op.isNull() ? null : op.asText(), value.asDouble());
    }

    public boolean isClassification() {
        return metric.equals("test_accuracy") || metric.equals("test_loss");
    }

    public boolean met(double score) {
        return op.equals(">=") ? score >= value : score <= value;
    }

    /** How far past the target a score is: positive when met, negative by what is missing. */
    public double margin(double score) {
        return op.equals(">=") ? score - value : value - score;
    }

    /** Whether score {@code a} beats {@code b} on this metric. */
    public boolean better(double a, double b) {
        return HIGHER_IS_BETTER.get(metric) ? a > b : a < b;
    }

    public ObjectNode toJson() {
        return Json.mapper().createObjectNode().put("metric", metric).put("op", op).put("value", value);
    }
}
