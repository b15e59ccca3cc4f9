package sinapsis.model;

import java.util.Locale;

/** Activation functions a Dense layer may use. */
public enum Activation {
    LINEAR("linear"), RELU("relu"), LEAKY_RELU("leakyrelu"), TANH("tanh"), SIGMOID("sigmoid"), SOFTMAX("softmax");

    private final String id;

    Activation(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses our names and the Keras spellings ({@code leaky_relu}, {@code LeakyReLU}, {@code identity}). */
    public static Activation parse(String field, String text) {
        String key = Names.normalise(text);
        for (Activation a : values()) {
            if (a.id.equals(key)) {
                return a;
            }
        }
        return switch (key) {
            case "identity", "none" -> LINEAR;
            case "lrelu" -> LEAKY_RELU;
            default -> throw new InvalidSpecException(field, "error.unknownActivation", text);
        };
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
