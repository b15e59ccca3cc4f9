package sinapsis.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import sinapsis.json.Json;
import sinapsis.json.SpecJson;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.SessionSpec;

/**
 * A class's settings: the starting configuration its students get ({@code spec}, in the API's
 * form, or null), the fields of it they may not change ({@code locked}: paths such as
 * {@code training.learningRate} or {@code network.layers[0].units}) and whether they see the
 * leaderboard. Stored and shown as that JSON object; only checked settings exist.
 */
public final class ClassSettings {
    private static final Set<String> FIELDS = Set.of("spec", "locked", "leaderboard");

    private final ObjectNode json;

    private ClassSettings(ObjectNode json) {
        this.json = json;
    }

    /** Settings as a teacher sends them (absent or null: none), checked; each fault names its field. */
    public static ClassSettings check(JsonNode node, SpecJson specs) {
        ObjectNode settings = Json.mapper().createObjectNode();
        if (node == null || node.isNull()) {
            settings.putNull("spec");
            settings.putArray("locked");
            settings.put("leaderboard", false);
            return new ClassSettings(settings);
        }
        if (!node.isObject()) {
            throw new InvalidSpecException("settings", "error.notObject");
        }
        refuseUnknown(node, "settings.");
        settings.set("spec", spec(node.get("spec"), specs));
        ArrayNode locked = settings.putArray("locked");
        LockedFields.read("settings.locked", node.get("locked"), settings.get("spec")).forEach(locked::add);
        JsonNode leaderboard = node.get("leaderboard");
        settings.put("leaderboard", leaderboard != null && leaderboard.asBoolean(false));
        return new ClassSettings(settings);
    }

    private static JsonNode spec(JsonNode spec, SpecJson specs) {
        if (spec == null || spec.isNull()) {
            return Json.mapper().nullNode();
        }
        try {
            return specs.write(specs.read(spec), true);
        } catch (InvalidSpecException e) {
            throw e.under("settings.spec");
        }
    }

    /** Settings as they were stored (checked when they were set). */
    static ClassSettings stored(String text) {
        try {
            return new ClassSettings((ObjectNode) Json.mapper().readTree(text));
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalStateException("stored class settings are not a JSON object", e);
        }
    }

    /** These settings with the fields {@code changes} gives replaced, checked again. */
    ClassSettings with(JsonNode changes, SpecJson specs) {
        refuseUnknown(changes, "");
        ObjectNode merged = json.deepCopy();
        changes.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        return check(merged, specs);
    }

    private static void refuseUnknown(JsonNode node, String prefix) {
        node.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw new InvalidSpecException(prefix + field, "error.unknownField", field);
            }
        });
    }

    /** Refuses, naming it, a locked field that {@code requested} changes from the starting configuration. */
    void checkLocks(SessionSpec requested, SpecJson specs) {
        if (!json.hasNonNull("spec") || !json.path("locked").isArray()) {
            return;
        }
        ObjectNode wanted = specs.write(requested, true);
        ObjectNode start = specs.write(specs.read(json.get("spec")), true);
        List<String> locked = new java.util.ArrayList<>();
        json.get("locked").forEach(path -> locked.add(path.asText()));
        LockedFields.check(locked, start, wanted);
    }

    public boolean leaderboard() {
        return json.path("leaderboard").asBoolean(false);
    }

    /** The starting configuration in the API's form, or a null node. */
    public JsonNode spec() {
        return json.get("spec").deepCopy();
    }

    public JsonNode locked() {
        return json.get("locked").deepCopy();
    }

    /** {@code {"spec", "locked", "leaderboard"}}, as stored and shown to the teacher. */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    public String text() {
        return json.toString();
    }
}
