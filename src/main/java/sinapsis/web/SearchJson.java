package sinapsis.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import sinapsis.search.CombinationResult;
import sinapsis.search.GridSearch;
import sinapsis.search.SearchSnapshot;

/** A grid search as the API shows it: what it varies, how far it is, every combination's scores. */
final class SearchJson {
    private final ObjectMapper json;

    SearchJson(ObjectMapper json) {
        this.json = json;
    }

    /** A search as the "My sessions" list shows it: what it varies, how far it is, its best. */
    ObjectNode summary(GridSearch search) {
        SearchSnapshot snapshot = search.snapshot();
        ObjectNode node = json.createObjectNode();
        node.put("id", search.id());
        node.put("url", "/searches/" + search.id());
        node.put("status", snapshot.status());
        node.put("folds", search.folds());
        node.put("scoring", snapshot.scoring());
        search.paramNames().forEach(node.putArray("params")::add);
        node.put("runsDone", snapshot.runsDone());
        node.put("runsTotal", snapshot.runsTotal());
        node.put("createdAt", search.createdAt());
        if (search.finishedAt() > 0) {
            node.put("finishedAt", search.finishedAt());
        }
        JsonNode base = base(search);
        if (base.path("data").has("dataset")) {
            node.put("dataset", base.path("data").path("dataset").asText());
        }
        writeBest(node, snapshot);
        return node;
    }

    /** The request every combination shares (data without its table, network, training), grid and folds left out. */
    private JsonNode base(GridSearch search) {
        try {
            ObjectNode request = (ObjectNode) json.readTree(search.requestJson());
            request.remove(List.of("grid", "folds", "scoring"));
            return request;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | ClassCastException | IllegalArgumentException e) {
            return json.createObjectNode();
        }
    }

    ObjectNode write(GridSearch search) {
        SearchSnapshot snapshot = search.snapshot();
        ObjectNode node = summary(search);
        node.set("base", base(search));
        ArrayNode results = node.putArray("results");
        for (CombinationResult result : snapshot.results()) {
            results.add(result(result));
        }
        return node;
    }

    private void writeBest(ObjectNode node, SearchSnapshot snapshot) {
        if (snapshot.best() != null) {
            CombinationResult best = snapshot.results().get(snapshot.best());
            node.putObject("best").<ObjectNode>set("params", json.valueToTree(best.params()))
                    .put("meanScore", best.meanScore()).put("stdScore", best.stdScore());
        } else {
            node.putNull("best");
        }
        node.put("bestSessionId", snapshot.bestSessionId());
        if (snapshot.bestSessionId() != null) {
            node.put("bestSessionUrl", "/s/" + snapshot.bestSessionId());
        }
    }

    private ObjectNode result(CombinationResult result) {
        ObjectNode node = json.createObjectNode();
        node.set("params", json.valueToTree(result.params()));
        putNumber(node, "meanScore", result.meanScore());
        putNumber(node, "stdScore", result.stdScore());
        if (result.rank() > 0) {
            node.put("rank", result.rank());
        } else {
            node.putNull("rank");
        }
        node.put("status", result.status());
        ArrayNode scores = node.putArray("scores");
        result.scores().forEach(score -> {
            if (score == null) {
                scores.addNull();
            } else {
                scores.add(score);
            }
        });
        ArrayNode curve = node.putArray("curve");
        for (double[] point : result.curve()) {
            curve.addArray().add((int) point[0]).add(point[1]);
        }
        return node;
    }

    private static void putNumber(ObjectNode node, String field, Double value) {
        if (value == null || !Double.isFinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }
}
