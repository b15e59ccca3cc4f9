package sinapsis.search;

import java.util.List;
import sinapsis.model.InvalidSpecException;

/**
 * A grid search to run: the fields the grid varies, every combination of their values, the
 * number of folds, the request as JSON (kept with the search, without pasted data), and the request
 * as read, the pasted table included: what builds the same search again on another node (null when
 * it cannot be: such a search ends with the node that runs it).
 */
public record SearchRequest(List<String> paramNames, List<Combination> combinations, int folds, String requestJson,
                            String sourceJson) {
    public static final int MIN_FOLDS = 2;
    public static final int MAX_FOLDS = 10;
    public static final int MAX_COMBINATIONS = 60;
    public static final int MAX_RUNS = 200;

    public SearchRequest {
        paramNames = List.copyOf(paramNames);
        combinations = List.copyOf(combinations);
        if (folds < MIN_FOLDS || folds > MAX_FOLDS) {
            throw new InvalidSpecException("folds", "error.range", folds, MIN_FOLDS, MAX_FOLDS);
        }
        if (combinations.isEmpty()) {
            throw new InvalidSpecException("grid", "error.emptyGrid");
        }
        if (combinations.size() > MAX_COMBINATIONS) {
            throw new InvalidSpecException("grid", "error.tooManyCombinations", combinations.size(), MAX_COMBINATIONS);
        }
        if (combinations.size() * folds > MAX_RUNS) {
            throw new InvalidSpecException("grid", "error.tooManyRuns", combinations.size() * folds, MAX_RUNS);
        }
    }
}
