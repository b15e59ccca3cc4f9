package sinapsis.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A derived input of two-input data (TensorFlow Playground's feature toggles): x², y², x·y, sin x,
 * sin y of the two input columns, added after them as further inputs of the network. Named after
 * the columns ("temperature²"); prediction, the surface and step by step take the two columns only.
 */
public enum Feature {
    X_SQUARED("x2", (x, y) -> x * x, (x, y) -> x + "²"),
    Y_SQUARED("y2", (x, y) -> y * y, (x, y) -> y + "²"),
    PRODUCT("xy", (x, y) -> x * y, (x, y) -> x + "·" + y),
    SIN_X("sinx", (x, y) -> Math.sin(x), (x, y) -> "sin " + x),
    SIN_Y("siny", (x, y) -> Math.sin(y), (x, y) -> "sin " + y);

    private final String id;
    private final java.util.function.DoubleBinaryOperator value;
    private final java.util.function.BinaryOperator<String> name;

    Feature(String id, java.util.function.DoubleBinaryOperator value, java.util.function.BinaryOperator<String> name) {
        this.id = id;
        this.value = value;
        this.name = name;
    }

    public String id() {
        return id;
    }

    /** Its value at the point ({@code x}, {@code y}) of the two input columns. */
    public double of(double x, double y) {
        return value.applyAsDouble(x, y);
    }

    /** Its column name, from the two input columns' names. */
    public String name(String x, String y) {
        return name.apply(x, y);
    }

    public static Feature parse(String field, String text) {
        for (Feature feature : values()) {
            if (feature.id.equals(text.toLowerCase(Locale.ROOT).replace("²", "2").replace("·", "").replace(" ", ""))) {
                return feature;
            }
        }
        List<String> ids = new ArrayList<>();
        for (Feature feature : values()) {
            ids.add(feature.id);
        }
        throw new InvalidSpecException(field, "error.unknownFeature", text, String.join(", ", ids));
    }
}
