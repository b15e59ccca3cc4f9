package sinapsis.search;

import java.util.Map;
import sinapsis.model.SessionSpec;

/** One point of the grid: the values it sets (field path → value, in grid order) and the spec they give. */
public record Combination(Map<String, Object> params, SessionSpec spec) {
    public Combination {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
    }
}
