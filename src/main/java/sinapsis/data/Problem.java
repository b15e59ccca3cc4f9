package sinapsis.data;

import java.util.List;
import sinapsis.model.Feature;
import sinapsis.model.InputShape;

/**
 * The numeric problem a trainer sees: features {@code x} (rows × inputs) and targets {@code y}
 * (rows × outputs). For classification {@code classes} names the labels and {@code y} is one-hot
 * (or a single 0/1 column when the output layer has one unit). {@code inputShape} says how each
 * row of {@code x} is laid out (an image's pixels row by row, or a flat vector); the last
 * {@code testRows} rows are a test split, used only to evaluate the trained model. The last
 * {@code features.size()} inputs are derived from the first two ({@link Feature}): a prediction
 * gives the others ({@link #rawInputNames}) and {@link #expand} adds them.
 */
public record Problem(List<String> inputNames, List<String> targetNames, double[][] x, double[][] y,
                      List<String> classes, InputShape inputShape, int testRows, List<Feature> features) {
    public Problem {
        features = List.copyOf(features);
        inputNames = List.copyOf(inputNames);
        targetNames = List.copyOf(targetNames);
        classes = List.copyOf(classes);
        if (inputShape.size() != inputNames.size()) {
            throw new IllegalArgumentException("input shape " + inputShape + " for " + inputNames.size() + " inputs");
        }
        if (testRows < 0 || testRows >= x.length) {
            throw new IllegalArgumentException(testRows + " test rows of " + x.length);
        }
    }

    public Problem(List<String> inputNames, List<String> targetNames, double[][] x, double[][] y,
                   List<String> classes, InputShape inputShape, int testRows) {
        this(inputNames, targetNames, x, y, classes, inputShape, testRows, List.of());
    }

    /** A problem on flat rows, without a test split. */
    public Problem(List<String> inputNames, List<String> targetNames, double[][] x, double[][] y,
                   List<String> classes) {
        this(inputNames, targetNames, x, y, classes, InputShape.flat(inputNames.size()), 0);
    }

    /** The same rows read as square grey images of {@code side × side}, the last {@code testRows} a test split. */
    public Problem asImages(int side, int testRows) {
        return new Problem(inputNames, targetNames, x, y, classes, InputShape.image(side, side, 1), testRows, features);
    }

    /** Rows before the test split: what training and validation use. */
    public int fitRows() {
        return x.length - testRows;
    }

    /** Only the first {@code rows} rows before the test split (all when 0 or more than there are), and the test split. */
    public Problem limitFitRows(int rows) {
        if (rows <= 0 || rows >= fitRows()) {
            return this;
        }
        double[][] keptX = new double[rows + testRows][];
        double[][] keptY = new double[rows + testRows][];
        System.arraycopy(x, 0, keptX, 0, rows);
        System.arraycopy(y, 0, keptY, 0, rows);
        System.arraycopy(x, fitRows(), keptX, rows, testRows);
        System.arraycopy(y, fitRows(), keptY, rows, testRows);
        return new Problem(inputNames, targetNames, keptX, keptY, classes, inputShape, testRows, features);
    }

    /** This two-input problem with {@code derived} inputs after its two columns (the rows copied, extended). */
    public Problem withFeatures(List<Feature> derived) {
        if (derived.isEmpty()) {
            return this;
        }
        List<String> names = new java.util.ArrayList<>(inputNames);
        for (Feature feature : derived) {
            names.add(feature.name(inputNames.get(0), inputNames.get(1)));
        }
        return new Problem(names, targetNames, expand(derived, x), y, classes, InputShape.flat(names.size()), testRows,
                derived);
    }

    /** The input columns a prediction gives: all but the derived ones. */
    public List<String> rawInputNames() {
        return inputNames.subList(0, inputNames.size() - features.size());
    }

    /** Rows of the raw inputs, with the derived ones added (rows already as wide as the inputs are kept). */
    public double[][] expand(double[][] rows) {
        if (features.isEmpty() || rows.length == 0 || rows[0].length == inputNames.size()) {
            return rows;
        }
        return expand(features, rows);
    }

    private static double[][] expand(List<Feature> derived, double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            double[] row = java.util.Arrays.copyOf(rows[r], 2 + derived.size());
            for (int f = 0; f < derived.size(); f++) {
                row[2 + f] = derived.get(f).of(rows[r][0], rows[r][1]);
            }
            out[r] = row;
        }
        return out;
    }

    public boolean isClassification() {
        return !classes.isEmpty();
    }

    public int rows() {
        return x.length;
    }

    public int inputCount() {
        return inputNames.size();
    }

    public int outputCount() {
        return y[0].length;
    }

    /** The names of the output units: target columns, or one per class. */
    public List<String> outputNames() {
        if (!isClassification()) {
            return targetNames;
        }
        return outputCount() == 1 ? List.of(classes.get(1)) : classes;
    }
}
