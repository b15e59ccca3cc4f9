package sinapsis.surface;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sinapsis.data.Problem;
import sinapsis.model.InvalidSpecException;
import sinapsis.training.Experiment;
import sinapsis.training.TrainedModel;

/**
 * Computes a {@link Grid} with a run's model: the points laid over the data's range along the
 * chosen axes, the other inputs held, everything through {@link Experiment#predict} — the very
 * call {@code POST …/predict} makes — and, when asked, the hidden layers' activations on the same
 * points (in the units the network computes in).
 */
public final class Surfaces {
    private Surfaces() {
    }

    /** The points, what the model answers there, and (asked) its hidden units, one row per point. */
    public record Grid(SurfaceRequest request, int epoch, Surface.Axis x, Surface.Axis y, Map<String, Double> held,
                       double[][] outputs, List<double[][]> hidden, List<String> classes, List<String> targets) {
        public int points() {
            return outputs.length;
        }

        /** The answer {@code GET …/surface} gives. */
        public Surface answer() {
            int size = request.size();
            List<Surface.UnitGrid> units = null;
            if (request.units()) {
                units = new ArrayList<>();
                for (int l = 0; l < hidden.size(); l++) {
                    double[][] layer = hidden.get(l);
                    for (int u = 0; u < layer[0].length; u++) {
                        units.add(new Surface.UnitGrid(l, u, shaped(layer, u, size)));
                    }
                }
            }
            if (classes != null) {
                Object probabilities = request.curve() ? outputs : rows(outputs, size);
                return new Surface(x, y, size, held, epoch, null, null, classes, probabilities, units);
            }
            return new Surface(x, y, size, held, epoch, targets.get(0), shaped(outputs, 0, size), null, null, units);
        }

        /** Column {@code c} of one value per point, as a list (a curve) or rows of {@code size} (a grid). */
        private Object shaped(double[][] perPoint, int c, int size) {
            if (request.curve()) {
                double[] line = new double[perPoint.length];
                for (int p = 0; p < line.length; p++) {
                    line[p] = perPoint[p][c];
                }
                return line;
            }
            double[][] grid = new double[size][size];
            for (int p = 0; p < perPoint.length; p++) {
                grid[p / size][p % size] = perPoint[p][c];
            }
            return grid;
        }

        private static double[][][] rows(double[][] perPoint, int size) {
            double[][][] grid = new double[size][size][];
            for (int p = 0; p < perPoint.length; p++) {
                grid[p / size][p % size] = perPoint[p];
            }
            return grid;
        }
    }

    /** The grid of {@code request} for {@code experiment}'s table data, by {@code model} (as it stood after {@code epoch}). */
    public static Grid compute(Experiment experiment, TrainedModel model, int epoch, SurfaceRequest request) {
        Problem problem = experiment.problem();
        check(problem, request);
        List<String> inputs = problem.rawInputNames();
        int xColumn = inputs.indexOf(request.x());
        int yColumn = request.curve() ? -1 : inputs.indexOf(request.y());
        double[][] rows = problem.x();
        int fitRows = problem.fitRows();
        Surface.Axis x = axis(inputs.get(xColumn), rows, fitRows, xColumn);
        Surface.Axis y = yColumn < 0 ? null : axis(inputs.get(yColumn), rows, fitRows, yColumn);
        Map<String, Double> held = new LinkedHashMap<>();
        double[] base = new double[inputs.size()];
        for (int c = 0; c < inputs.size(); c++) {
            if (c != xColumn && c != yColumn) {
                Double given = request.held().get(inputs.get(c));
                base[c] = given != null ? given : mean(rows, experiment.trainRows(), c);
                held.put(inputs.get(c), base[c]);
            }
        }
        int size = request.size();
        double[][] points = new double[request.curve() ? size : size * size][];
        for (int p = 0; p < points.length; p++) {
            double[] point = base.clone();
            point[xColumn] = x.at(p % size, size);
            if (y != null) {
                point[yColumn] = y.at(p / size, size);
            }
            points[p] = point;
        }
        double[][] outputs = experiment.predict(model, points);
        List<double[][]> hidden = request.units()
                ? model.hiddenActivations(experiment.networkInputs(points)) : List.of();
        return new Grid(request, epoch, x, y, held, outputs, hidden,
                problem.isClassification() ? problem.classes() : null, problem.outputNames());
    }

    /** Refuses, naming the field, a request whose axes or held inputs the problem does not have. */
    public static void check(Problem problem, SurfaceRequest request) {
        if (problem.inputShape().isImage()) {
            throw new InvalidSpecException("x", "error.surfaceImages");
        }
        List<String> inputs = problem.rawInputNames(); // derived inputs follow the two columns
        int xColumn = column(inputs, "x", request.x());
        int yColumn = request.curve() ? -1 : column(inputs, "y", request.y());
        for (String heldColumn : request.held().keySet()) {
            int index = inputs.indexOf(heldColumn);
            if (index < 0) {
                throw new InvalidSpecException("at." + heldColumn, "error.surfaceUnknownInput", heldColumn,
                        String.join(", ", inputs));
            }
            if (index == xColumn || index == yColumn) {
                throw new InvalidSpecException("at." + heldColumn, "error.surfaceHeldAxis", heldColumn);
            }
        }
    }

    private static int column(List<String> inputs, String field, String name) {
        int index = inputs.indexOf(name);
        if (index < 0) {
            throw new InvalidSpecException(field, "error.surfaceUnknownInput", name, String.join(", ", inputs));
        }
        return index;
    }

    /** The data's range along a column (the training and validation rows); a constant column gets a width of 1. */
    private static Surface.Axis axis(String name, double[][] rows, int count, int column) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < count; r++) {
            min = Math.min(min, rows[r][column]);
            max = Math.max(max, rows[r][column]);
        }
        if (!(max > min)) {
            min -= 0.5;
            max = min + 1;
        }
        return new Surface.Axis(name, min, max);
    }

    private static double mean(double[][] rows, int count, int column) {
        double sum = 0;
        for (int r = 0; r < count; r++) {
            sum += rows[r][column];
        }
        return sum / count;
    }
}
