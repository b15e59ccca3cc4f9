package sinapsis.model;

/** Loss functions. Cross-entropy means softmax + categorical cross-entropy, or sigmoid + binary for one unit. */
public enum LossKind {
    MSE("mse"), MAE("mae"), HUBER("huber"), CROSSENTROPY("crossentropy");

    private final String id;

    LossKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean isClassification() {
        return this == CROSSENTROPY;
    }

    /** Parses our names and the Keras ones ({@code mean_squared_error}, {@code categorical_crossentropy}, …). */
    public static LossKind parse(String field, String text) {
        return switch (Names.normalise(text)) {
            case "mse", "meansquarederror" -> MSE;
            case "mae", "meanabsoluteerror", "l1" -> MAE;
            case "huber", "huberloss", "smoothl1" -> HUBER;
            case "crossentropy", "categoricalcrossentropy", "binarycrossentropy", "sparsecategoricalcrossentropy",
                 "xent", "mcxent", "bce" -> CROSSENTROPY;
            default -> throw new InvalidSpecException(field, "error.unknownLoss", text);
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
