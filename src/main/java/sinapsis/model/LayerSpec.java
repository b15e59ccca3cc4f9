package sinapsis.model;

/** One Dense layer: how many units and which activation. */
public record LayerSpec(int units, Activation activation) {
    public static final int MAX_UNITS = 4096;

    public LayerSpec {
        Checks.intBetween("units", units, 1, MAX_UNITS);
        Checks.required("activation", activation);
    }

    public static LayerSpec dense(int units, Activation activation) {
        return new LayerSpec(units, activation);
    }

    /** Weights plus biases of this layer when it receives {@code inputs} values. */
    public long parameterCount(int inputs) {
        return (long) inputs * units + units;
    }
}
