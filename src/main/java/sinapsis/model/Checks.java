package sinapsis.model;

/** Small guards shared by the spec records; each names the field and the value it refused. */
final class Checks {
    private Checks() {
    }

    static int intBetween(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidSpecException(field, "error.range", value, min, max);
        }
        return value;
    }

    static double positiveFinite(String field, double value) {
        if (!Double.isFinite(value) || value <= 0) {
            throw new InvalidSpecException(field, "error.positive", value);
        }
        return value;
    }

    static double between(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidSpecException(field, "error.range", value, min, max);
        }
        return value;
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidSpecException(field, "error.required");
        }
        return value;
    }
}
