package sinapsis.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A data set shipped in {@code datasets/}, or one of the {@link ImageSets} ({@code images}: no
 * file, table or CSV here; they are built per session from the images). Its name and description live in the message bundles
 * under {@code dataset.<id>.name} and {@code dataset.<id>.description}; {@code suggested} is a
 * starting network and training configuration, in the API's JSON shape. The table is parsed once,
 * when the catalogue loads.
 */
public record BuiltInDataset(String id, String file, String task, boolean synthetic, List<String> inputs,
                             List<String> targets, String formula, JsonNode suggested, String csv,
                             Table table, boolean images, int trainingRows) {
    public BuiltInDataset {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
    }

    public int rows() {
        return table == null ? 0 : table.rowCount();
    }

    public boolean isClassification() {
        return "classification".equals(task);
    }
}
