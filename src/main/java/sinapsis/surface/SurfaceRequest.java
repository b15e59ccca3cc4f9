package sinapsis.surface;

import java.util.Map;
import sinapsis.model.InvalidSpecException;

/**
 * Which surface to compute: the input along {@code x}, the one along {@code y} (null: a curve over
 * {@code x} alone), {@code size} points per axis, the values the other inputs are held at (those
 * not given: their training mean), and whether to add each hidden unit's grid.
 */
public record SurfaceRequest(String x, String y, int size, Map<String, Double> held, boolean units) {
    public static final int DEFAULT_GRID = 64;
    public static final int DEFAULT_CURVE = 100;
    public static final int MAX_GRID = 200;
    public static final int MAX_CURVE = 2000;

    public SurfaceRequest {
        if (x == null || x.isBlank()) {
            throw new InvalidSpecException("x", "error.required");
        }
        if (x.equals(y)) {
            throw new InvalidSpecException("y", "error.surfaceSameAxis", y);
        }
        int max = y == null ? MAX_CURVE : MAX_GRID;
        if (size < 2 || size > max) {
            throw new InvalidSpecException("size", "error.range", size, 2, max);
        }
        held = Map.copyOf(held);
        for (Map.Entry<String, Double> entry : held.entrySet()) {
            if (!Double.isFinite(entry.getValue())) {
                throw new InvalidSpecException("at." + entry.getKey(), "error.notNumber", entry.getValue());
            }
        }
    }

    /** The default view: the grid over two inputs, or the curve over one. */
    public static SurfaceRequest over(String x, String y) {
        return new SurfaceRequest(x, y, y == null ? DEFAULT_CURVE : DEFAULT_GRID, Map.of(), false);
    }

    public boolean curve() {
        return y == null;
    }

    public SurfaceRequest withSize(int points) {
        return new SurfaceRequest(x, y, points, held, units);
    }

    public SurfaceRequest withUnits(boolean withUnits) {
        return new SurfaceRequest(x, y, size, held, withUnits);
    }
}
