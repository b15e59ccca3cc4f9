package sinapsis.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the data comes from (pasted CSV text, or a built-in data set's id) and which columns are
 * inputs and targets. Empty column lists mean "the data set's defaults" for built-in data.
 */
public record DataSpec(String csv, String dataset, List<String> inputs, List<String> targets) {
    public DataSpec {
        boolean hasCsv = csv != null && !csv.isBlank();
        boolean hasDataset = dataset != null && !dataset.isBlank();
        if (hasCsv == hasDataset) {
            throw new InvalidSpecException("data", hasCsv ? "error.csvAndDataset" : "error.noData");
        }
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        targets = targets == null ? List.of() : List.copyOf(targets);
        if (hasCsv && inputs.isEmpty()) {
            throw new InvalidSpecException("data.inputs", "error.noInputs");
        }
        if (hasCsv && targets.isEmpty()) {
            throw new InvalidSpecException("data.targets", "error.noTargets");
        }
        Set<String> overlap = new HashSet<>(inputs);
        overlap.retainAll(targets);
        if (!overlap.isEmpty()) {
            throw new InvalidSpecException("data.targets", "error.inputTargetOverlap", String.join(", ", overlap));
        }
    }

    public static DataSpec ofCsv(String csv, List<String> inputs, List<String> targets) {
        return new DataSpec(csv, null, inputs, targets);
    }

    public boolean isBuiltIn() {
        return dataset != null && !dataset.isBlank();
    }
}
