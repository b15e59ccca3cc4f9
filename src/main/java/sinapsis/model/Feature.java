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
    X_SQUARED("x2") {
        @Override
        public double of(double x, double y) {
            return x * x;
        }

        @Override
        public String name(String x, String y) {
            return x + "²";
        }
    },
    Y_SQUARED("y2") {
        @Override
        public double of(double x, double y) {
            return y * y;
        }

        @Override
        public String name(String x, String y) {
            return y + "²";
        }
    },
    PRODUCT("xy") {
        @Override
        public double of(double x, double y) {
            return x * y;
        }

        @Override
        public String name(String x, String y) {
            return x + "·" + y;
        }
    },
    SIN_X("sinx") {
        @Override
        public double of(double x, double y) {
            return Math.sin(x);
        }

        @Override
        public String name(String x, String y) {
            return "sin " + x;
        }
    },
    SIN_Y("siny") {
        @Override
        public double of(double x, double y) {
            return Math.sin(y);
        }

        @Override
        public String name(String x, String y) {
            return "sin " + y;
        }
    };

    private final String id;

    Feature(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Its value at the point ({@code x}, {@code y}) of the two input columns. */
    public abstract double of(double x, double y);

    /** Its column name, from the two input columns' names. */
    public abstract String name(String x, String y);

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
