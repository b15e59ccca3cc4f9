package sinapsis.training;

/** One line of a Keras-style {@code model.summary()}: {@code dense_1 (Dense) | (None, 3) | 12}. */
public record SummaryRow(String layer, String type, String outputShape, long parameters) {
}
