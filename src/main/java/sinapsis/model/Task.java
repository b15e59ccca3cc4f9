package sinapsis.model;

/**
 * What the target column asks for ({@code training.task}): {@code regression} (numbers),
 * {@code classification} (labels), or, when not given, what the loss says, provided the column
 * agrees: a column of numbers with a few text cells in it is a typo to fix, not a set of classes.
 */
public enum Task {
    AUTO("auto"), REGRESSION("regression"), CLASSIFICATION("classification");

    private final String id;

    Task(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Task parse(String field, String text) {
        return switch (Names.normalise(text)) {
            case "auto" -> AUTO;
            case "regression", "regresion" -> REGRESSION;
            case "classification", "clasificacion" -> CLASSIFICATION;
            default -> throw new InvalidSpecException(field, "error.unknownTask", text);
        };
    }

    @Override
    public String toString() {
        return id;
    }
}
