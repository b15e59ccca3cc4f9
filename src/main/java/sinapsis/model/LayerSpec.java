package sinapsis.model;

/**
 * One layer (a missing type means Dense). Which fields count depends on the type; the others are 0 (or null) and ignored:
 * <ul>
 *   <li>{@code dense}: {@code units}, {@code activation};</li>
 *   <li>{@code conv2d}: {@code filters}, a square {@code kernel}, {@code stride}, {@code padding},
 *       {@code activation};</li>
 *   <li>{@code maxpool2d}: a square window {@code size} and {@code stride} (Keras: the stride defaults to the size);</li>
 *   <li>{@code flatten}: nothing;</li>
 *   <li>{@code dropout}: the {@code rate} of inputs set to zero while training, in [0, 1).</li>
 * </ul>
 */
public record LayerSpec(LayerType type, int units, Activation activation, int filters, int kernel, int stride,
                        Padding padding, int size, double rate) {
    public static final int MAX_UNITS = 4096;
    public static final int MAX_FILTERS = 512;
    public static final int MAX_WINDOW = 32;

    public LayerSpec {
        type = type == null ? LayerType.DENSE : type; // sessions stored before there were other types
        switch (type) {
            case DENSE -> {
                Checks.intBetween("units", units, 1, MAX_UNITS);
                Checks.required("activation", activation);
            }
            case CONV2D -> {
                Checks.intBetween("filters", filters, 1, MAX_FILTERS);
                Checks.intBetween("kernel", kernel, 1, MAX_WINDOW);
                Checks.intBetween("stride", stride, 1, MAX_WINDOW);
                Checks.required("padding", padding);
                Checks.required("activation", activation);
                if (activation == Activation.SOFTMAX) {
                    throw new InvalidSpecException("activation", "error.softmaxOnlyDense");
                }
            }
            case MAXPOOL2D -> {
                Checks.intBetween("size", size, 1, MAX_WINDOW);
                Checks.intBetween("stride", stride, 1, MAX_WINDOW);
                Checks.required("padding", padding);
            }
            case DROPOUT -> {
                if (!(rate >= 0 && rate < 1)) {
                    throw new InvalidSpecException("rate", "error.dropoutRate", rate);
                }
            }
            case FLATTEN -> {
            }
        }
        boolean hasUnits = type == LayerType.DENSE;
        boolean hasActivation = type == LayerType.DENSE || type == LayerType.CONV2D;
        boolean window = type == LayerType.CONV2D || type == LayerType.MAXPOOL2D;
        units = hasUnits ? units : 0;
        activation = hasActivation ? activation : null;
        filters = type == LayerType.CONV2D ? filters : 0;
        kernel = type == LayerType.CONV2D ? kernel : 0;
        stride = window ? stride : 0;
        padding = window ? padding : null;
        size = type == LayerType.MAXPOOL2D ? size : 0;
        rate = type == LayerType.DROPOUT ? rate : 0;
    }

    /** A Dense layer. */
    public LayerSpec(int units, Activation activation) {
        this(LayerType.DENSE, units, activation, 0, 0, 0, null, 0, 0);
    }

    public static LayerSpec dense(int units, Activation activation) {
        return new LayerSpec(units, activation);
    }

    public static LayerSpec conv2d(int filters, int kernel, int stride, Padding padding, Activation activation) {
        return new LayerSpec(LayerType.CONV2D, 0, activation, filters, kernel, stride, padding, 0, 0);
    }

    public static LayerSpec maxPool2d(int size, int stride) {
        return new LayerSpec(LayerType.MAXPOOL2D, 0, null, 0, 0, stride, Padding.VALID, size, 0);
    }

    public static LayerSpec flatten() {
        return new LayerSpec(LayerType.FLATTEN, 0, null, 0, 0, 0, null, 0, 0);
    }

    public static LayerSpec dropout(double rate) {
        return new LayerSpec(LayerType.DROPOUT, 0, null, 0, 0, 0, null, 0, rate);
    }

    public boolean isDense() {
        return type == LayerType.DENSE;
    }

    /** Weights plus biases of a Dense layer when it receives {@code inputs} values (other types: see {@link LayerShapes}). */
    public long parameterCount(int inputs) {
        return isDense() ? (long) inputs * units + units : 0;
    }
}
