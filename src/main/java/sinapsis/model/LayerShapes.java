package sinapsis.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Each layer's input and output shape and parameter count for a given input, as Keras's
 * {@code model.summary()} shows them, with Keras's layer names ({@code conv2d}, {@code conv2d_1},
 * {@code max_pooling2d}, …). A network that does not fit its input is refused naming the layer and
 * the shapes.
 */
public record LayerShapes(InputShape input, List<Row> rows) {
    /** One layer: its Keras name, what it receives and gives, and its weights plus biases. */
    public record Row(String name, LayerSpec layer, InputShape in, InputShape out, long parameters) {
        /** {@code (None, 26, 26, 32)} or {@code (None, 64)}. */
        public String outputShape() {
            return out.isImage() ? "(None, " + out.height() + ", " + out.width() + ", " + out.channels() + ")"
                    : "(None, " + out.channels() + ")";
        }
    }

    public LayerShapes {
        rows = List.copyOf(rows);
    }

    public static LayerShapes of(NetworkSpec network, InputShape input) {
        List<Row> rows = new ArrayList<>();
        Map<LayerType, Integer> seen = new EnumMap<>(LayerType.class);
        InputShape shape = input;
        for (int i = 0; i < network.layers().size(); i++) {
            LayerSpec layer = network.layers().get(i);
            String field = "network.layers[" + i + "]";
            InputShape out = layer.outputShape(shape, field);
            int count = seen.merge(layer.type(), 1, Integer::sum) - 1;
            String base = switch (layer.type()) {
                case MAXPOOL2D -> "max_pooling2d";
                default -> layer.type().id();
            };
            rows.add(new Row(count == 0 ? base : base + "_" + count, layer, shape, out, layer.parameterCount(shape)));
            shape = out;
        }
        return new LayerShapes(input, rows);
    }

    /** The values one example passes through the network: its input and every layer's output. */
    public long valuesPerExample() {
        return input.size() + rows.stream().mapToLong(row -> row.out().size()).sum();
    }

    public long totalParameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    public InputShape output() {
        return rows.get(rows.size() - 1).out();
    }
}
