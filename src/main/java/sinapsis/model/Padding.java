package sinapsis.model;

/** How a convolution or pooling treats the border, as Keras's {@code padding}: none, or enough to keep the size at stride 1. */
public enum Padding {
    VALID, SAME;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Padding parse(String field, String text) {
        String key = Names.normalise(text);
        for (Padding padding : values()) {
            if (padding.id().equals(key)) {
                return padding;
            }
        }
        throw new InvalidSpecException(field, "error.unknownPadding", text);
    }

    /** The output size along one axis, as Keras computes it; below 1 means the window does not fit. */
    public int outputSize(int input, int window, int stride) {
        if (this == SAME) {
            return (input + stride - 1) / stride;
        }
        return input < window ? 0 : (input - window) / stride + 1;
    }
}
