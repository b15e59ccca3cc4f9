package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import sinapsis.model.InvalidSpecException;
import sinapsis.training.Results;

/**
 * {@code POST /api/sessions/{id}/predict}: {@code {"inputs": [[…], …]}} (at most
 * {@value #MAX_ROWS} rows of finite numbers) → {@code {"outputs": [[…], …], "labels"?: […]}}, the
 * labels for a classification.
 */
final class Predictions {
    static final int MAX_ROWS = 10_000;

    /** The answer; JSON has no number for an infinite output, so one is refused naming its row. */
    record Answer(double[][] outputs, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> labels) {
        static Answer of(double[][] outputs, List<String> classes) {
            for (int r = 0; r < outputs.length; r++) {
                for (double value : outputs[r]) {
                    if (!Double.isFinite(value)) { // say which row, not "Infinity"
                        throw new InvalidSpecException("inputs", "error.predictionNotFinite", r + 1);
                    }
                }
            }
            List<String> labels = classes.isEmpty() ? null
                    : java.util.Arrays.stream(outputs).map(row -> classes.get(Results.classIndex(row))).toList();
            return new Answer(outputs, labels);
        }
    }

    private Predictions() {
    }

    /** The request's rows, each fault refused on {@code inputs}. */
    static double[][] rows(JsonNode body) {
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidSpecException("inputs", "error.predictShape");
        }
        if (inputs.size() > MAX_ROWS) {
            throw new InvalidSpecException("inputs", "error.limit", inputs.size(), MAX_ROWS);
        }
        double[][] rows = new double[inputs.size()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = row(inputs.get(r));
        }
        return rows;
    }

    private static double[] row(JsonNode row) {
        if (!row.isArray()) {
            throw new InvalidSpecException("inputs", "error.predictShape");
        }
        double[] values = new double[row.size()];
        for (int c = 0; c < values.length; c++) {
            JsonNode value = row.get(c);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new InvalidSpecException("inputs", "error.notNumber", value.toString());
            }
            values[c] = value.asDouble();
        }
        return values;
    }
}
