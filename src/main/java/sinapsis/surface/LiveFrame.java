package sinapsis.surface;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import sinapsis.training.Experiment;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainingRun;

/**
 * What a viewer's live views draw after an epoch, compact enough to send five times a second to a
 * class: the network's weights (at most {@value #SHOWN_UNITS} units a layer, as the diagram shows
 * them) and the surface over the viewer's axes, quantised to bytes (base64): per cell the predicted
 * class and its probability (×255), or the predicted value between {@code min} and {@code max};
 * each shown hidden unit's activation on a coarser grid. A curve (one input) is sent as numbers.
 */
@JsonInclude(Include.NON_NULL)
public record LiveFrame(int epoch, List<Layer> network, Map2d surface, Curve curve) {
    public static final int SHOWN_UNITS = 16;
    public static final int UNIT_GRID = 16;
    public static final int UNIT_CURVE = 50;

    /** A layer as the diagram draws it: its size, and the weights and biases of its first units. */
    public record Layer(int units, double[][] weights, double[] biases) {
    }

    /** Quantised grid over two inputs: {@code classes} and {@code predicted}/{@code confidence}, or {@code values} in [min, max]. */
    @JsonInclude(Include.NON_NULL)
    public record Map2d(Surface.Axis x, Surface.Axis y, int size, Map<String, Double> held, List<String> classes,
                        String predicted, String confidence, String values, Double min, Double max,
                        int unitSize, List<Unit> units) {
    }

    /** A shown hidden unit's activation, quantised between its own min and max (a grid) or as numbers (a curve). */
    @JsonInclude(Include.NON_NULL)
    public record Unit(int layer, int unit, String values, double min, double max, double[] curve) {
    }

    /** Over one input: the values (regression) or each class's probability (classification) at each point. */
    @JsonInclude(Include.NON_NULL)
    public record Curve(Surface.Axis x, Map<String, Double> held, List<String> classes, double[][] points,
                        List<Unit> units) {
    }

    /** The frame of {@code live} for a Dense network on table data, over {@code view} (null: no surface). */
    public static LiveFrame of(Experiment experiment, TrainingRun.LiveModel live, SurfaceRequest view) {
        List<Layer> network = network(live.model().weights());
        if (view == null) {
            return new LiveFrame(live.epoch(), network, null, null);
        }
        // the hidden units' thumbnails on a coarser grid of their own: their values are what costs
        Surfaces.Grid grid = Surfaces.compute(experiment, live.model(), live.epoch(), view);
        Surfaces.Grid thumbnails = Surfaces.compute(experiment, live.model(), live.epoch(),
                view.withSize(view.curve() ? UNIT_CURVE : UNIT_GRID).withUnits(true));
        if (view.curve()) {
            return new LiveFrame(live.epoch(), network, null, new Curve(grid.x(), grid.held(), grid.classes(),
                    grid.outputs(), units(thumbnails, false)));
        }
        return new LiveFrame(live.epoch(), network, map(grid, thumbnails), null);
    }

    private static Map2d map(Surfaces.Grid grid, Surfaces.Grid thumbnails) {
        double[][] outputs = grid.outputs();
        int points = outputs.length;
        if (grid.classes() != null) {
            byte[] predicted = new byte[points];
            byte[] confidence = new byte[points];
            for (int p = 0; p < points; p++) {
                int best = 0;
                for (int c = 1; c < outputs[p].length; c++) {
                    best = outputs[p][c] > outputs[p][best] ? c : best;
                }
                predicted[p] = (byte) best;
                confidence[p] = quantise(outputs[p][best], 0, 1);
            }
            return new Map2d(grid.x(), grid.y(), grid.request().size(), grid.held(), grid.classes(),
                    base64(predicted), base64(confidence), null, null, null, UNIT_GRID, units(thumbnails, true));
        }
        double[] values = new double[points];
        for (int p = 0; p < points; p++) {
            values[p] = outputs[p][0];
        }
        double[] range = range(values);
        return new Map2d(grid.x(), grid.y(), grid.request().size(), grid.held(), null, null, null,
                quantised(values, range), range[0], range[1], UNIT_GRID, units(thumbnails, true));
    }

    /** The first {@value #SHOWN_UNITS} units of each hidden layer. */
    private static List<Unit> units(Surfaces.Grid grid, boolean quantise) {
        List<Unit> units = new ArrayList<>();
        for (int l = 0; l < grid.hidden().size(); l++) {
            double[][] layer = grid.hidden().get(l);
            for (int u = 0; u < Math.min(SHOWN_UNITS, layer[0].length); u++) {
                double[] values = new double[layer.length];
                for (int p = 0; p < values.length; p++) {
                    values[p] = layer[p][u];
                }
                double[] range = range(values);
                units.add(quantise ? new Unit(l, u, quantised(values, range), range[0], range[1], null)
                        : new Unit(l, u, null, range[0], range[1], rounded(values)));
            }
        }
        return units;
    }

    /** The diagram's share of the weights: the first units of every layer, and each layer's full size. */
    static List<Layer> network(List<LayerWeights> layers) {
        List<Layer> shown = new ArrayList<>();
        for (LayerWeights layer : layers) {
            int inputs = Math.min(SHOWN_UNITS, layer.weights().length);
            int units = layer.biases().length;
            int kept = Math.min(SHOWN_UNITS, units);
            double[][] weights = new double[inputs][];
            for (int i = 0; i < inputs; i++) {
                weights[i] = rounded(java.util.Arrays.copyOf(layer.weights()[i], kept));
            }
            shown.add(new Layer(units, weights, rounded(java.util.Arrays.copyOf(layer.biases(), kept))));
        }
        return shown;
    }

    /** To float precision: what the network computes in, and half the characters. */
    private static double[] rounded(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.isFinite(values[i]) ? Double.parseDouble(Float.toString((float) values[i])) : 0;
        }
        return out;
    }

    private static double[] range(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            if (Double.isFinite(value)) {
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        return min > max ? new double[] {0, 0} : new double[] {min, max};
    }

    private static String quantised(double[] values, double[] range) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = quantise(values[i], range[0], range[1]);
        }
        return base64(bytes);
    }

    /** 0 at {@code min}, 255 at {@code max} (a flat range is all 0). */
    static byte quantise(double value, double min, double max) {
        if (!(max > min) || !Double.isFinite(value)) {
            return 0;
        }
        return (byte) Math.round(Math.max(0, Math.min(1, (value - min) / (max - min))) * 255);
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
