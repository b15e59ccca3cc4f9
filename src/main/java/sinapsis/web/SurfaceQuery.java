package sinapsis.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sinapsis.model.InvalidSpecException;
import sinapsis.surface.SurfaceRequest;

/**
 * The query of {@code GET /api/sessions/{id}/surface} (and of a viewer's {@code view} message):
 * {@code x}, optional {@code y}, {@code size}, {@code units=true}, {@code at.<input>=<value>};
 * anything else is refused naming it.
 */
final class SurfaceQuery {
    private static final String HELD = "at.";

    private SurfaceQuery() {
    }

    static SurfaceRequest of(Map<String, List<String>> query) {
        Map<String, Double> held = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith(HELD) && key.length() > HELD.length()) {
                held.put(key.substring(HELD.length()), number(key, first(entry.getValue())));
            } else if (!List.of("x", "y", "size", "units").contains(key)) {
                throw new InvalidSpecException(Messages.echo(key, 60), "error.unknownField", Messages.echo(key, 60));
            }
        }
        String x = first(query.get("x"));
        String y = first(query.get("y"));
        y = y == null || y.isEmpty() ? null : y;
        String size = first(query.get("size"));
        int points = size == null || size.isEmpty()
                ? (y == null ? SurfaceRequest.DEFAULT_CURVE : SurfaceRequest.DEFAULT_GRID) : whole("size", size);
        String units = first(query.get("units"));
        if (units != null && !units.equals("true") && !units.equals("false")) {
            throw new InvalidSpecException("units", "error.notBoolean", Messages.echo(units, 40));
        }
        return new SurfaceRequest(x, y, points, held, "true".equals(units));
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static double number(String field, String text) {
        try {
            double value = Double.parseDouble(text == null ? "" : text.trim());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new InvalidSpecException(field, "error.notNumber", Messages.echo(text, 40));
    }

    private static int whole(String field, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(field, "error.notInteger", Messages.echo(text, 40));
        }
    }
}
