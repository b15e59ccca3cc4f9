package sinapsis.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sinapsis.model.Limits;

/** The catalogue of built-in data sets, read once from {@code datasets/manifest.json} on the class path. */
public final class BuiltInDatasets {
    private static final String ROOT = "datasets/";
    private final Map<String, BuiltInDataset> byId;

    private BuiltInDatasets(Map<String, BuiltInDataset> byId) {
        this.byId = byId;
    }

    public static BuiltInDatasets load() {
        ObjectMapper json = new ObjectMapper();
        Map<String, BuiltInDataset> byId = new LinkedHashMap<>();
        try {
            JsonNode manifest = json.readTree(resource("manifest.json"));
            for (JsonNode entry : manifest) {
                String file = entry.get("file").asText();
                String csv = resource(file);
                byId.put(entry.get("id").asText(), new BuiltInDataset(
                        entry.get("id").asText(), file, entry.get("task").asText(),
                        entry.path("synthetic").asBoolean(false),
                        strings(entry.get("inputs")), strings(entry.get("targets")),
                        entry.path("formula").asText(null), entry.get("suggested"), csv,
                        new CsvTableParser(Limits.defaults()).parse(csv)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in data sets", e);
        }
        return new BuiltInDatasets(byId);
    }

    public List<BuiltInDataset> all() {
        return List.copyOf(byId.values());
    }

    public Optional<BuiltInDataset> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BuiltInDatasets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IOException("missing resource " + ROOT + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
