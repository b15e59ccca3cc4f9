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

/**
 * The catalogue of built-in data sets, read once from {@code datasets/manifest.json} on the class
 * path, with the image sets (generated shapes, Fashion-MNIST) behind it.
 */
public final class BuiltInDatasets {
    private static final String ROOT = "datasets/";
    private final Map<String, BuiltInDataset> byId;
    private final ImageSets images;

    private BuiltInDatasets(Map<String, BuiltInDataset> byId, ImageSets images) {
        this.byId = byId;
        this.images = images;
    }

    /** With Fashion-MNIST where the start script keeps it by default ({@code data/fashion-mnist}). */
    public static BuiltInDatasets load() {
        return load(ImageSets.of(null, java.nio.file.Path.of("data"), FashionMnist.DEFAULT_BASE_URL,
                FashionMnist.OFFICIAL_SHA256));
    }

    public static BuiltInDatasets load(ImageSets images) {
        ObjectMapper json = sinapsis.json.Json.mapper();
        Map<String, BuiltInDataset> byId = new LinkedHashMap<>();
        try {
            JsonNode manifest = json.readTree(resource("manifest.json"));
            for (JsonNode entry : manifest) {
                boolean isImages = entry.path("images").asBoolean(false);
                String file = isImages ? null : entry.get("file").asText();
                String csv = isImages ? null : resource(file);
                byId.put(entry.get("id").asText(), new BuiltInDataset(
                        entry.get("id").asText(), file, entry.get("task").asText(),
                        entry.path("synthetic").asBoolean(false),
                        strings(entry.get("inputs")), strings(entry.get("targets")),
                        entry.path("formula").asText(null), entry.get("suggested"), csv,
                        isImages ? null : new CsvTableParser(Limits.defaults()).parse(csv), isImages,
                        entry.path("trainingRows").asInt(0)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in data sets", e);
        }
        return new BuiltInDatasets(byId, images);
    }

    public ImageSets images() {
        return images;
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
