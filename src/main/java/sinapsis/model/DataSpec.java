package sinapsis.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the data comes from (pasted CSV text, or a built-in data set's id) and which columns are
 * inputs and targets. Empty column lists mean "the data set's defaults" for built-in data, and
 * "every pixel in, the label out" for a table in the image layout ({@code label,pixel1,…}).
 * {@code trainingRows} keeps only the first rows for training and validation, for a quick try on a
 * large data set (0: all of them); a data set's test split is always used whole. {@code features}
 * are inputs derived from two input columns (x², x·y, sin x… — see {@link Feature}), in order, no
 * repeats.
 */
public record DataSpec(String csv, String dataset, List<String> inputs, List<String> targets, int trainingRows,
                       List<Feature> features) {
    public static final int MIN_TRAINING_ROWS = 10;

    public DataSpec(String csv, String dataset, List<String> inputs, List<String> targets) {
        this(csv, dataset, inputs, targets, 0);
    }

    public DataSpec(String csv, String dataset, List<String> inputs, List<String> targets, int trainingRows) {
        this(csv, dataset, inputs, targets, trainingRows, List.of());
    }

    public DataSpec {
        if (trainingRows != 0) {
            Checks.intBetween("data.trainingRows", trainingRows, MIN_TRAINING_ROWS, Integer.MAX_VALUE);
        }
        boolean hasCsv = csv != null && !csv.isBlank();
        boolean hasDataset = dataset != null && !dataset.isBlank();
        if (hasCsv == hasDataset) {
            throw new InvalidSpecException("data", hasCsv ? "error.csvAndDataset" : "error.noData");
        }
        features = features == null ? List.of() : List.copyOf(new java.util.LinkedHashSet<>(features));
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        targets = targets == null ? List.of() : List.copyOf(targets);
        Set<String> overlap = new HashSet<>(inputs);
        overlap.retainAll(targets);
        if (!overlap.isEmpty()) {
            throw new InvalidSpecException("data.targets", "error.inputTargetOverlap", String.join(", ", overlap));
        }
    }

    public static DataSpec ofCsv(String csv, List<String> inputs, List<String> targets) {
        return new DataSpec(csv, null, inputs, targets);
    }

    /** The same data with another number of training rows (0: all). */
    public DataSpec withTrainingRows(int rows) {
        return new DataSpec(csv, dataset, inputs, targets, rows, features);
    }

    /** The same data with these derived inputs. */
    public DataSpec withFeatures(List<Feature> derived) {
        return new DataSpec(csv, dataset, inputs, targets, trainingRows, derived);
    }

    public boolean isBuiltIn() {
        return dataset != null && !dataset.isBlank();
    }
}
