package sinapsis.surface;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Map;

/**
 * A computed surface. Over two inputs, row {@code i}, column {@code j} is the point
 * {@code x = x.min + j·(x.max − x.min)/(size − 1)}, {@code y = y.min + i·(y.max − y.min)/(size − 1)};
 * over one input (a curve, {@code y} null) entry {@code j} is that {@code x}. A regression has
 * {@code values} (of {@code target}); a classification has {@code classes} and, per point, the
 * probability of each. {@code units}: each hidden unit's activation on the same points.
 */
@JsonInclude(Include.NON_NULL)
public record Surface(Axis x, Axis y, int size, Map<String, Double> held, int epoch, String target,
                      Object values, List<String> classes, Object probabilities, List<UnitGrid> units) {
    /** An input axis: its column and the range of the data along it. */
    public record Axis(String column, double min, double max) {
        /** The {@code j}-th of {@code size} points from min to max. */
        double at(int j, int size) {
            return min + j * (max - min) / (size - 1);
        }
    }

    /** Hidden unit {@code unit} (from 0) of layer {@code layer} (from 0): its activation, shaped like {@code values}. */
    public record UnitGrid(int layer, int unit, Object values) {
    }

    public boolean classification() {
        return classes != null;
    }
}
