package sinapsis.classroom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import sinapsis.model.InvalidSpecException;

/**
 * Fields of a starting configuration that students may not change: paths such as
 * {@code training.learningRate}, {@code data} or {@code network.layers[0].units}, read in the
 * API's spec form. A class's settings and a challenge both lock fields this way.
 */
public final class LockedFields {
    private static final Set<String> ROOTS = Set.of("data", "network", "training");

    private LockedFields() {
    }

    /**
     * The paths of {@code node} (a JSON list, or absent/null for none), each one that {@code start}
     * has; a fault is a 400 on {@code field}.
     */
    public static List<String> read(String field, JsonNode node, JsonNode start) {
        List<String> locked = new ArrayList<>();
        if (node == null || node.isNull()) {
            return locked;
        }
        if (!node.isArray()) {
            throw new InvalidSpecException(field, "error.notList");
        }
        if (node.size() > 0 && (start == null || start.isNull())) {
            throw new InvalidSpecException(field, "error.lockWithoutSpec");
        }
        for (JsonNode path : node) {
            String text = path.asText("");
            if (!path.isTextual() || !ROOTS.contains(text.split("[.\\[]")[0])
                    || start.at(pointer(text)).isMissingNode()) {
                throw new InvalidSpecException(field, "error.unknownLockField", path.asText());
            }
            locked.add(text);
        }
        return locked;
    }

    /** Refuses, naming it, the first locked path where {@code wanted} differs from {@code start}. */
    public static void check(Iterable<String> locked, ObjectNode start, ObjectNode wanted) {
        for (String path : locked) {
            if (!wanted.at(pointer(path)).equals(start.at(pointer(path)))) {
                throw new InvalidSpecException(path, "error.lockedField", path);
            }
        }
    }

    /** {@code network.layers[0].units} as the JSON pointer {@code /network/layers/0/units}. */
    static String pointer(String path) {
        return "/" + path.replace('.', '/').replaceAll("\\[(\\d+)]", "/$1");
    }
}
