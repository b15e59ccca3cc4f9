package sinapsis.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sinapsis.json.Json;
import sinapsis.json.SpecJson;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.SessionSpec;

/**
 * A grid search's request ({@code data}, {@code network}, {@code training} as for a session, plus
 * {@code grid}: field path → list of values, and {@code folds}) expanded into every combination's
 * spec, the last field varying fastest. A path names a field of the spec as the API writes it
 * ({@code training.learningRate}, {@code network.layers[0].units}); data is not searchable.
 */
public final class GridExpansion {
    /** A path step: a name and an optional index of at most 9 digits (larger ones name no layer). */
    private static final Pattern STEP = Pattern.compile("([A-Za-z]+)(?:\\[(\\d{1,9})])?");
    public static final int DEFAULT_FOLDS = 3;

    private final SpecJson specs;

    public GridExpansion(SpecJson specs) {
        this.specs = specs;
    }

    public SearchRequest read(JsonNode body) {
        ObjectNode base = body.deepCopy();
        JsonNode grid = base.remove("grid");
        JsonNode foldsNode = base.remove("folds");
        int folds = DEFAULT_FOLDS;
        if (foldsNode != null && !foldsNode.isNull()) {
            if (!foldsNode.canConvertToInt() || !foldsNode.isIntegralNumber()) {
                throw new InvalidSpecException("folds", "error.notInteger", foldsNode.toString());
            }
            folds = foldsNode.asInt();
        }
        if (grid == null || !grid.isObject() || grid.isEmpty()) {
            throw new InvalidSpecException("grid", "error.emptyGrid");
        }
        SessionSpec baseSpec = specs.read(base);
        // the whole spec written out, so every field (a built-in data set's suggestions included) has a place
        ObjectNode full = specs.write(baseSpec, true);
        List<String> names = new ArrayList<>();
        List<List<JsonNode>> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String path = entry.getKey();
            locate(full, path);
            JsonNode list = entry.getValue();
            if (!list.isArray() || list.isEmpty()) {
                throw new InvalidSpecException("grid." + path, "error.gridValues");
            }
            List<JsonNode> options = new ArrayList<>();
            for (JsonNode value : list) {
                if (!value.isValueNode() || value.isNull()) {
                    throw new InvalidSpecException("grid." + path, "error.gridValues");
                }
                options.add(value);
            }
            names.add(path);
            values.add(options);
        }
        long count = 1;
        for (List<JsonNode> options : values) {
            count *= options.size();
            if (count > SearchRequest.MAX_COMBINATIONS) {
                throw new InvalidSpecException("grid", "error.tooManyCombinations", count, SearchRequest.MAX_COMBINATIONS);
            }
        }
        List<Combination> combinations = new ArrayList<>();
        int[] index = new int[names.size()];
        for (long n = 0; n < count; n++) {
            ObjectNode spec = full.deepCopy();
            Map<String, Object> params = new LinkedHashMap<>();
            for (int p = 0; p < names.size(); p++) {
                JsonNode value = values.get(p).get(index[p]);
                Target target = locate(spec, names.get(p));
                target.parent().set(target.field(), value);
                params.put(names.get(p), Json.mapper().convertValue(value, Object.class));
            }
            try {
                combinations.add(new Combination(params, specs.read(spec)));
            } catch (InvalidSpecException e) {
                throw new InvalidSpecException("grid." + e.field(), e.messageKey(), e.arguments().toArray());
            }
            for (int p = names.size() - 1; p >= 0; p--) { // the next combination, the last field fastest
                if (++index[p] < values.get(p).size()) {
                    break;
                }
                index[p] = 0;
            }
        }
        ObjectNode source = full.deepCopy();
        source.set("grid", grid);
        source.put("folds", folds);
        ObjectNode stored = source.deepCopy();
        ((ObjectNode) stored.get("data")).remove("csv");
        return new SearchRequest(names, combinations, folds, stored.toString(), source.toString());
    }

    private record Target(ObjectNode parent, String field) {
    }

    /** The object and field a path such as {@code network.layers[0].units} names; data is not searchable. */
    private static Target locate(ObjectNode root, String path) {
        String[] steps = path.split("\\.");
        if (steps.length < 2 || steps[0].equals("data")) {
            throw new InvalidSpecException("grid." + path, "error.unknownGridField", path);
        }
        JsonNode node = root;
        for (int i = 0; i < steps.length; i++) {
            Matcher step = STEP.matcher(steps[i]);
            if (!step.matches() || node == null || !node.isObject()) {
                throw new InvalidSpecException("grid." + path, "error.unknownGridField", path);
            }
            boolean last = i == steps.length - 1;
            if (last && step.group(2) == null) {
                if (!node.has(step.group(1)) || !node.get(step.group(1)).isValueNode()) {
                    throw new InvalidSpecException("grid." + path, "error.unknownGridField", path);
                }
                return new Target((ObjectNode) node, step.group(1));
            }
            node = node.get(step.group(1));
            if (step.group(2) != null) {
                node = node != null && node.isArray() ? node.get(Integer.parseInt(step.group(2))) : null;
            }
            if (last) {
                break;
            }
        }
        throw new InvalidSpecException("grid." + path, "error.unknownGridField", path);
    }

}
