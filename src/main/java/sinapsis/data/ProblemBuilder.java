package sinapsis.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import sinapsis.model.InvalidSpecException;

/**
 * Turns a table and a column choice into a {@link Problem}. Inputs must be numeric; a
 * classification target (cross-entropy) is one column of labels, text or integers, one-hot encoded.
 */
public final class ProblemBuilder {
    private ProblemBuilder() {
    }

    public static Problem build(Table table, List<String> inputs, List<String> targets, boolean classification,
                                int outputUnits) {
        if (inputs.isEmpty()) {
            throw new InvalidSpecException("data.inputs", "error.noInputs");
        }
        if (targets.isEmpty()) {
            throw new InvalidSpecException("data.targets", "error.noTargets");
        }
        for (String target : targets) {
            if (inputs.contains(target)) {
                throw new InvalidSpecException("data.targets", "error.inputTargetOverlap", target);
            }
        }
        int rows = table.rowCount();
        double[][] x = new double[rows][inputs.size()];
        for (int c = 0; c < inputs.size(); c++) {
            double[] column = table.numericColumn("data.inputs", table.columnIndex("data.inputs", inputs.get(c)));
            for (int r = 0; r < rows; r++) {
                x[r][c] = column[r];
            }
        }
        if (classification) {
            if (targets.size() != 1) {
                throw new InvalidSpecException("data.targets", "error.oneLabelColumn", targets.size());
            }
            return classification(inputs, targets, x, table.labels(table.columnIndex("data.targets", targets.get(0))),
                    table.decimalComma(), outputUnits);
        }
        double[][] y = new double[rows][targets.size()];
        for (int c = 0; c < targets.size(); c++) {
            int index = table.columnIndex("data.targets", targets.get(c));
            if (!table.isNumeric(index)) {
                throw new InvalidSpecException("data.targets", "error.labelsNeedCrossEntropy", targets.get(c));
            }
            double[] column = table.numericColumn("data.targets", index);
            for (int r = 0; r < rows; r++) {
                y[r][c] = column[r];
            }
        }
        if (outputUnits != targets.size()) {
            throw new InvalidSpecException("network.layers", "error.outputUnitsRegression", outputUnits,
                    targets.size());
        }
        return new Problem(inputs, targets, x, y, List.of());
    }

    /**
     * Rows held out from {@code trained}'s data, as a problem of the same shape: its raw input
     * columns, its targets, its classes in its order (one 0/1 column when it has one sigmoid unit).
     * A label the trained problem does not know is refused: the held-out rows are cut so that every
     * class is on both sides.
     */
    public static Problem heldOut(Table table, Problem trained) {
        List<String> inputs = trained.rawInputNames();
        double[][] x = new double[table.rowCount()][inputs.size()];
        for (int c = 0; c < inputs.size(); c++) {
            double[] column = table.numericColumn("data.inputs", table.columnIndex("data.inputs", inputs.get(c)));
            for (int r = 0; r < x.length; r++) {
                x[r][c] = column[r];
            }
        }
        List<String> targets = trained.targetNames();
        double[][] y = new double[x.length][trained.outputCount()];
        if (trained.isClassification()) {
            List<String> labels = table.labels(table.columnIndex("data.targets", targets.get(0)));
            for (int r = 0; r < x.length; r++) {
                int k = trained.classes().indexOf(labels.get(r).trim());
                if (k < 0) {
                    throw new InvalidSpecException("data.targets", "error.unknownHeldOutClass", labels.get(r));
                }
                if (trained.outputCount() == 1) {
                    y[r][0] = k;
                } else {
                    y[r][k] = 1;
                }
            }
        } else {
            for (int c = 0; c < targets.size(); c++) {
                double[] column = table.numericColumn("data.targets", table.columnIndex("data.targets", targets.get(c)));
                for (int r = 0; r < x.length; r++) {
                    y[r][c] = column[r];
                }
            }
        }
        return new Problem(inputs, targets, x, y, trained.classes());
    }

    /**
     * A classification problem on features {@code x} and one label per row: the classes in their
     * natural order, one-hot targets (one 0/1 column for a single sigmoid unit and two classes).
     */
    static Problem classification(List<String> inputs, List<String> targets, double[][] x, List<String> labels,
                                  boolean decimalComma, int outputUnits) {
        List<String> classes = distinctSorted(labels, decimalComma);
        if (classes.size() < 2) {
            throw new InvalidSpecException("data.targets", "error.oneClass", targets.get(0));
        }
        boolean binary = outputUnits == 1 && classes.size() == 2;
        if (!binary && outputUnits != classes.size()) {
            throw new InvalidSpecException("network.layers", "error.outputUnitsClasses", outputUnits,
                    classes.size(), String.join(", ", classes));
        }
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            indexOf.put(classes.get(i), i);
        }
        double[][] y = new double[labels.size()][binary ? 1 : classes.size()];
        for (int r = 0; r < labels.size(); r++) {
            int k = indexOf.get(labels.get(r).trim());
            if (binary) {
                y[r][0] = k;
            } else {
                y[r][k] = 1;
            }
        }
        return new Problem(inputs, targets, x, y, classes);
    }

    /** Labels in a natural order: numerically when they are all numbers, else alphabetically. */
    static List<String> distinctSorted(List<String> labels, boolean decimalComma) {
        boolean numeric = labels.stream().allMatch(l -> Numbers.parse(l, decimalComma) != null);
        Comparator<String> order = numeric
                ? Comparator.comparingDouble((String l) -> Numbers.parse(l, decimalComma)).thenComparing(l -> l)
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        for (String label : labels) {
            distinct.add(label.trim());
        }
        return new ArrayList<>(distinct);
    }
}
