package sinapsis.model;

/** Optimizers. {@code momentum} is SGD with Nesterov momentum 0.9, as ND4J provides it. */
public enum OptimizerKind {
    SGD("sgd"), MOMENTUM("momentum"), ADAM("adam"), RMSPROP("rmsprop");

    private final String id;

    OptimizerKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static OptimizerKind parse(String field, String text) {
        return switch (Names.normalise(text)) {
            case "sgd", "gradientdescent" -> SGD;
            case "momentum", "sgdmomentum", "nesterov", "nesterovs" -> MOMENTUM;
            case "adam" -> ADAM;
            case "rmsprop" -> RMSPROP;
            default -> throw new InvalidSpecException(field, "error.unknownOptimizer", text);
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
