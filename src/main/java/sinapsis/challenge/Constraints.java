package sinapsis.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sinapsis.json.Json;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.OptimizerKind;
import sinapsis.model.SessionSpec;

/**
 * What an attempt may use: at most {@code maxParameters} weights and biases, at most
 * {@code maxEpochs} epochs, only {@code optimizer}; each null when free.
 */
public record Constraints(Long maxParameters, Integer maxEpochs, OptimizerKind optimizer) {
    public static final Constraints NONE = new Constraints(null, null, null);

    public Constraints {
        if (maxParameters != null && maxParameters < 1) {
            throw new InvalidSpecException("constraints.maxParameters", "error.positive", maxParameters);
        }
        if (maxEpochs != null && maxEpochs < 1) {
            throw new InvalidSpecException("constraints.maxEpochs", "error.positive", maxEpochs);
        }
    }

    public static Constraints read(JsonNode node) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw new InvalidSpecException("constraints", "error.notObject");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!java.util.Set.of("maxParameters", "maxEpochs", "optimizer").contains(name)) {
                throw new InvalidSpecException("constraints." + name, "error.unknownField", name);
            }
        });
        JsonNode optimizer = node.get("optimizer");
        return new Constraints(whole("constraints.maxParameters", node.get("maxParameters")),
                toInt(whole("constraints.maxEpochs", node.get("maxEpochs"))),
                optimizer == null || optimizer.isNull() || optimizer.asText().isBlank() ? null
                        : OptimizerKind.parse("constraints.optimizer", optimizer.asText()));
    }

    private static Long whole(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidSpecException(field, "error.notInteger", node.toString());
        }
        return node.asLong();
    }

    private static Integer toInt(Long value) {
        if (value == null) {
            return null;
        }
        if (value > Integer.MAX_VALUE) {
            throw new InvalidSpecException("constraints.maxEpochs", "error.range", value, 1, Integer.MAX_VALUE);
        }
        return value.intValue();
    }

    /** Refuses, naming the field, a spec that breaks one: {@code parameters} is its network's count. */
    public void check(SessionSpec spec, long parameters) {
        if (maxParameters != null && parameters > maxParameters) {
            throw new InvalidSpecException("network.layers", "error.challengeParameters", parameters, maxParameters);
        }
        if (maxEpochs != null && spec.training().epochs() > maxEpochs) {
            throw new InvalidSpecException("training.epochs", "error.challengeEpochs", spec.training().epochs(),
                    maxEpochs);
        }
        if (optimizer != null && spec.training().optimizer() != optimizer) {
            throw new InvalidSpecException("training.optimizer", "error.challengeOptimizer",
                    spec.training().optimizer().id(), optimizer.id());
        }
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        if (maxParameters != null) {
            node.put("maxParameters", maxParameters);
        }
        if (maxEpochs != null) {
            node.put("maxEpochs", maxEpochs);
        }
        if (optimizer != null) {
            node.put("optimizer", optimizer.id());
        }
        return node;
    }
}
