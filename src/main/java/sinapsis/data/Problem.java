package sinapsis.data;

import java.util.List;

/**
 * The numeric problem a trainer sees: features {@code x} (rows × inputs) and targets {@code y}
 * (rows × outputs). For classification {@code classes} names the labels and {@code y} is one-hot
 * (or a single 0/1 column when the output layer has one unit).
 */
public record Problem(List<String> inputNames, List<String> targetNames, double[][] x, double[][] y,
                      List<String> classes) {
    public Problem {
        inputNames = List.copyOf(inputNames);
        targetNames = List.copyOf(targetNames);
        classes = List.copyOf(classes);
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
