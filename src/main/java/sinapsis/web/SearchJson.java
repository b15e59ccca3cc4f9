package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import sinapsis.search.CombinationResult;
import sinapsis.search.GridSearch;
import sinapsis.search.SearchSnapshot;

/** A grid search as the API shows it: what it varies, how far it is, every combination's scores. */
final class SearchJson {
    /** A search as the "My sessions" list shows it: what it varies, how far it is, its best. */
    record SummaryView(String id, String url, String status, int folds, String scoring, List<String> params,
                       int runsDone, int runsTotal, long createdAt, @JsonInclude(Include.NON_NULL) Long finishedAt,
                       @JsonInclude(Include.NON_NULL) String dataset, Best best, String bestSessionId,
                       @JsonInclude(Include.NON_NULL) String bestSessionUrl) {
    }

    /** The best combination so far: its values and its mean score over the folds, with their spread. */
    record Best(Map<String, Object> params, Double meanScore, Double stdScore) {
    }

    /** {@code GET /api/searches/{id}}: the summary, the request every combination shares, each one's result. */
    record SearchView(@JsonUnwrapped SummaryView summary, JsonNode base, List<ResultView> results,
                      @JsonInclude(Include.NON_NULL) Boolean owner) {
    }

    /** One combination: its values, scores per fold (null where a fold failed), rank and mean curve. */
    record ResultView(Map<String, Object> params, Double meanScore, Double stdScore, Integer rank, String status,
                      List<Double> scores, List<List<Number>> curve) {
        static ResultView of(CombinationResult result) {
            List<List<Number>> curve = java.util.Arrays.stream(result.curve())
                    .map(point -> List.<Number>of((int) point[0], point[1])).toList();
            return new ResultView(result.params(), finite(result.meanScore()), finite(result.stdScore()),
                    result.rank() > 0 ? result.rank() : null, result.status(), result.scores(), curve);
        }

        private static Double finite(Double value) {
            return value == null || !Double.isFinite(value) ? null : value;
        }
    }

    private final ObjectMapper json;

    SearchJson(ObjectMapper json) {
        this.json = json;
    }

    SummaryView summary(GridSearch search) {
        return summary(search, search.snapshot());
    }

    private SummaryView summary(GridSearch search, SearchSnapshot snapshot) {
        JsonNode base = base(search);
        CombinationResult best = snapshot.best() == null ? null : snapshot.results().get(snapshot.best());
        return new SummaryView(search.id(), "/searches/" + search.id(), snapshot.status(), search.folds(),
                snapshot.scoring(), search.paramNames(), snapshot.runsDone(), snapshot.runsTotal(), search.createdAt(),
                search.finishedAt() > 0 ? search.finishedAt() : null,
                base.path("data").has("dataset") ? base.path("data").path("dataset").asText() : null,
                best == null ? null : new Best(best.params(), best.meanScore(), best.stdScore()),
                snapshot.bestSessionId(), snapshot.bestSessionId() == null ? null : "/s/" + snapshot.bestSessionId());
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

    /** @param owner whether the reader owns the search, or null to leave it out */
    SearchView write(GridSearch search, Boolean owner) {
        SearchSnapshot snapshot = search.snapshot();
        return new SearchView(summary(search, snapshot), base(search),
                snapshot.results().stream().map(ResultView::of).toList(), owner);
    }

    /** The search as its live feed sends it. */
    String text(GridSearch search) {
        try {
            return json.writeValueAsString(write(search, null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a search is always JSON", e);
        }
    }
}
