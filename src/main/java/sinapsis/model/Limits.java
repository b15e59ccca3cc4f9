package sinapsis.model;

import java.util.Map;

/**
 * Server-wide limits that protect a shared server from one request. Configured by environment
 * ({@code SINAPSIS_MAX_PASTE_BYTES}, …); a value over a limit is refused with a 400 naming it.
 */
public record Limits(int maxPasteBytes, int maxRows, int maxColumns, long maxParameters, int maxEpochs) {
    public Limits {
        Checks.intBetween("maxPasteBytes", maxPasteBytes, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxRows", maxRows, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxColumns", maxColumns, 2, Integer.MAX_VALUE);
        if (maxParameters < 1) {
            throw new InvalidSpecException("maxParameters", "error.positive", maxParameters);
        }
        Checks.intBetween("maxEpochs", maxEpochs, 1, Integer.MAX_VALUE);
    }

    public static Limits defaults() {
        return new Limits(10 * 1024 * 1024, 100_000, 1_000, 1_000_000, 100_000);
    }

    public static Limits fromEnvironment(Map<String, String> env) {
        Limits d = defaults();
        return new Limits(
                intFrom(env, "SINAPSIS_MAX_PASTE_BYTES", d.maxPasteBytes),
                intFrom(env, "SINAPSIS_MAX_ROWS", d.maxRows),
                intFrom(env, "SINAPSIS_MAX_COLUMNS", d.maxColumns),
                intFrom(env, "SINAPSIS_MAX_PARAMETERS", (int) Math.min(Integer.MAX_VALUE, d.maxParameters)),
                intFrom(env, "SINAPSIS_MAX_EPOCHS", d.maxEpochs));
    }

    private static int intFrom(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, found '" + value + "'", e);
        }
    }

    /** Refuses a spec that is valid on its own but too large for this server. */
    public void check(NetworkSpec network, TrainingSpec training, int inputs) {
        if (training.epochs() > maxEpochs) {
            throw new InvalidSpecException("training.epochs", "error.limit", training.epochs(), maxEpochs);
        }
        long parameters = network.parameterCount(inputs);
        if (parameters > maxParameters) {
            throw new InvalidSpecException("network.layers", "error.tooManyParameters", parameters, maxParameters);
        }
    }
}
