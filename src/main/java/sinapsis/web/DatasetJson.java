package sinapsis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.FashionMnist;
import sinapsis.data.ImageSet;
import sinapsis.data.ImageSets;
import sinapsis.data.ShapeImages;

/** The built-in data sets as the editor lists them: names and descriptions in every language, columns, table. */
final class DatasetJson {
    private final ObjectMapper json;
    private final BuiltInDatasets datasets;

    DatasetJson(ObjectMapper json, BuiltInDatasets datasets) {
        this.json = json;
        this.datasets = datasets;
    }

    ArrayNode all() {
        ArrayNode list = json.createArrayNode();
        datasets.all().forEach(dataset -> list.add(dataset(dataset)));
        return list;
    }

    private ObjectNode dataset(BuiltInDataset dataset) {
        ObjectNode node = json.createObjectNode().put("id", dataset.id());
        ObjectNode name = node.putObject("name");
        ObjectNode description = node.putObject("description");
        for (Locale locale : Messages.SUPPORTED) {
            name.put(locale.getLanguage(), Messages.get(locale, "dataset." + dataset.id() + ".name"));
            description.put(locale.getLanguage(), Messages.get(locale, "dataset." + dataset.id() + ".description"));
        }
        node.put("task", dataset.task()).put("synthetic", dataset.synthetic());
        dataset.inputs().forEach(node.putArray("inputs")::add);
        dataset.targets().forEach(node.putArray("targets")::add);
        node.put("rows", dataset.rows());
        if (dataset.images()) {
            imageSet(node.putObject("images"), dataset);
        }
        if (dataset.formula() != null) {
            node.put("formula", dataset.formula());
        }
        node.set("suggested", dataset.suggested());
        if (!dataset.images()) {
            node.put("csv", dataset.csv());
        }
        return node;
    }

    /** An image set's sizes and class names, and for Fashion-MNIST whether it is here yet. */
    private void imageSet(ObjectNode images, BuiltInDataset dataset) {
        if (dataset.trainingRows() > 0) {
            images.put("trainingRows", dataset.trainingRows());
        }
        int classes;
        if (dataset.id().equals(ShapeImages.ID)) {
            ImageSet shapes = datasets.images().shapes();
            images.put("available", true).put("side", shapes.side()).put("train", shapes.trainCount())
                    .put("test", shapes.testCount());
            classes = shapes.classCount();
        } else {
            ImageSets.Status status = datasets.images().fashionStatus();
            images.put("available", status.state() == ImageSets.State.AVAILABLE)
                    .put("state", status.state().name().toLowerCase(Locale.ROOT))
                    .put("canDownload", datasets.images().canDownload()).put("side", FashionMnist.SIDE)
                    .put("train", FashionMnist.TRAIN_IMAGES_COUNT).put("test", FashionMnist.TEST_IMAGES_COUNT);
            classes = FashionMnist.CLASSES;
        }
        ObjectNode names = images.putObject("classNames");
        for (Locale locale : Messages.SUPPORTED) {
            ArrayNode list = names.putArray(locale.getLanguage());
            for (int c = 0; c < classes; c++) {
                list.add(Messages.get(locale, "dataset." + dataset.id() + ".class." + c));
            }
        }
    }
}
