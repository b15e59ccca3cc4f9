package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.FashionMnist;
import sinapsis.data.ImageSet;
import sinapsis.data.ImageSets;
import sinapsis.data.ShapeImages;

/** The built-in data sets as the editor lists them: names and descriptions in every language, columns, table. */
final class DatasetJson {
    @JsonInclude(Include.NON_NULL)
    record DatasetView(String id, Map<String, String> name, Map<String, String> description, String task,
                       boolean synthetic, List<String> inputs, List<String> targets, int rows, ImagesView images,
                       String formula, JsonNode suggested, String csv) {
    }

    /** An image set's sizes and class names, and for Fashion-MNIST whether it is here yet and can be fetched. */
    @JsonInclude(Include.NON_NULL)
    record ImagesView(Integer trainingRows, boolean available, String state, Boolean canDownload, int side, int train,
                      int test, Map<String, List<String>> classNames) {
    }

    private final BuiltInDatasets datasets;

    DatasetJson(BuiltInDatasets datasets) {
        this.datasets = datasets;
    }

    List<DatasetView> all() {
        return datasets.all().stream().map(this::dataset).toList();
    }

    private DatasetView dataset(BuiltInDataset dataset) {
        String key = "dataset." + dataset.id();
        return new DatasetView(dataset.id(), inEveryLanguage(locale -> Messages.get(locale, key + ".name")),
                inEveryLanguage(locale -> Messages.get(locale, key + ".description")), dataset.task(),
                dataset.synthetic(), dataset.inputs(), dataset.targets(), dataset.rows(),
                dataset.images() ? images(dataset) : null, dataset.formula(), dataset.suggested(),
                dataset.images() ? null : dataset.csv());
    }

    private ImagesView images(BuiltInDataset dataset) {
        Integer trainingRows = dataset.trainingRows() > 0 ? dataset.trainingRows() : null;
        if (dataset.id().equals(ShapeImages.ID)) {
            ImageSet shapes = datasets.images().shapes();
            return new ImagesView(trainingRows, true, null, null, shapes.side(), shapes.trainCount(),
                    shapes.testCount(), classNames(dataset, shapes.classCount()));
        }
        ImageSets.Status status = datasets.images().fashionStatus();
        return new ImagesView(trainingRows, status.state() == ImageSets.State.AVAILABLE,
                status.state().name().toLowerCase(Locale.ROOT), datasets.images().canDownload(), FashionMnist.SIDE,
                FashionMnist.TRAIN_IMAGES_COUNT, FashionMnist.TEST_IMAGES_COUNT,
                classNames(dataset, FashionMnist.CLASSES));
    }

    private static Map<String, List<String>> classNames(BuiltInDataset dataset, int classes) {
        return inEveryLanguage(locale -> IntStream.range(0, classes)
                .mapToObj(c -> Messages.get(locale, "dataset." + dataset.id() + ".class." + c)).toList());
    }

    private static <T> Map<String, T> inEveryLanguage(Function<Locale, T> text) {
        Map<String, T> values = new LinkedHashMap<>();
        for (Locale locale : Messages.SUPPORTED) {
            values.put(locale.getLanguage(), text.apply(locale));
        }
        return values;
    }
}
