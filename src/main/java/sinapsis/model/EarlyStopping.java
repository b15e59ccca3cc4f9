package sinapsis.model;

/**
 * Keras's {@code EarlyStopping(monitor, patience, min_delta, restore_best_weights)}: training ends
 * once the monitored loss has not improved by more than {@code minDelta} for {@code patience}
 * epochs in a row; with {@code restoreBestWeights} the model keeps the weights of its best epoch.
 */
public record EarlyStopping(Monitor monitor, int patience, double minDelta, boolean restoreBestWeights) {
    public static final int MAX_PATIENCE = 1_000_000;

    /** What is watched: the training loss or the validation loss. */
    public enum Monitor {
        LOSS("loss"), VAL_LOSS("val_loss");

        private final String id;

        Monitor(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Monitor parse(String field, String text) {
            return switch (text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "loss" -> LOSS;
                case "val_loss", "valloss" -> VAL_LOSS;
                default -> throw new InvalidSpecException(field, "error.unknownMonitor", text);
            };
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public EarlyStopping {
        Checks.required("training.earlyStopping.monitor", monitor);
        Checks.intBetween("training.earlyStopping.patience", patience, 0, MAX_PATIENCE);
        if (!Double.isFinite(minDelta) || minDelta < 0) {
            throw new InvalidSpecException("training.earlyStopping.minDelta", "error.nonNegative", minDelta);
        }
    }
}
