package sinapsis.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import sinapsis.json.Json;
import sinapsis.model.InvalidSpecException;

/**
 * What a teacher set for a challenge, as stored: its texts, the starting configuration students get
 * ({@code spec}, in the API's form, its data the training part only), the fields they may not change,
 * the target, the constraints, the deadline (ms since the epoch, or null), how many attempts each
 * student has (null: as many as they like), and how the held-out rows were cut (the share and the
 * seed). {@code dataset} is the built-in data set the rows came from, or null for a pasted table.
 * An image set is not cut: its own test split is the held-out part (its spec names the set, and the
 * trainer never trains on a set's test split), and {@code testFraction} is that split's share.
 */
public record ChallengeDefinition(Localized title, Localized instructions, ObjectNode spec, List<String> locked,
                                  Target target, Constraints constraints, Long deadline, Integer attempts,
                                  double testFraction, long seed, String dataset) {
    public static final int MAX_TITLE = 120;
    public static final int MAX_INSTRUCTIONS = 5_000;
    public static final int MAX_ATTEMPTS = 1_000;

    public ChallengeDefinition {
        locked = List.copyOf(locked);
        if (attempts != null && (attempts < 1 || attempts > MAX_ATTEMPTS)) {
            throw new InvalidSpecException("attempts", "error.range", attempts, 1, MAX_ATTEMPTS);
        }
    }

    public ObjectNode toJson() {
        ObjectNode node = Json.mapper().createObjectNode();
        node.set("title", title.toJson());
        node.set("instructions", instructions.toJson());
        node.set("spec", spec.deepCopy());
        locked.forEach(node.putArray("locked")::add);
        node.set("target", target.toJson());
        node.set("constraints", constraints.toJson());
        if (deadline != null) {
            node.put("deadline", deadline);
        } else {
            node.putNull("deadline");
        }
        if (attempts != null) {
            node.put("attempts", attempts);
        } else {
            node.putNull("attempts");
        }
        node.put("testFraction", testFraction).put("seed", seed);
        if (dataset != null) {
            node.put("dataset", dataset);
        } else {
            node.putNull("dataset");
        }
        return node;
    }

    /** A definition as {@link #toJson} stored it (checked when it was set). */
    static ChallengeDefinition stored(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored challenge is not JSON", e);
        }
        List<String> locked = new java.util.ArrayList<>();
        node.path("locked").forEach(path -> locked.add(path.asText()));
        return new ChallengeDefinition(Localized.read("title", node.get("title"), false, Integer.MAX_VALUE),
                Localized.read("instructions", node.get("instructions"), false, Integer.MAX_VALUE),
                (ObjectNode) node.get("spec"), locked, Target.read(node.get("target")),
                Constraints.read(node.get("constraints")),
                node.path("deadline").isNumber() ? node.get("deadline").asLong() : null,
                node.path("attempts").isNumber() ? node.get("attempts").asInt() : null,
                node.get("testFraction").asDouble(), node.get("seed").asLong(),
                node.path("dataset").isTextual() ? node.get("dataset").asText() : null);
    }

    /** Whether the held-out rows are the built-in image set's own test split (else rows cut from a table). */
    public boolean heldOutIsTestSplit() {
        return spec.at("/data/dataset").isTextual();
    }

    public boolean pastDeadline(long now) {
        return deadline != null && now > deadline;
    }
}
