package sinapsis.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import sinapsis.model.Limits;

class BuiltInDatasetsTest {
    private final BuiltInDatasets datasets = BuiltInDatasets.load();

    @Test
    void theCourseTablesAreThereAsTheCourseHasThem() {
        Table celsius = new CsvTableParser(Limits.defaults()).parse(datasets.find("celsius").orElseThrow().csv());
        assertThat(celsius.numericColumn("x", 0)).containsExactly(-40, -10, 0, 8, 15, 22, 38);
        assertThat(celsius.numericColumn("x", 1)).containsExactly(-40, 14, 32, 46, 59, 72, 100);
        Table feet = new CsvTableParser(Limits.defaults()).parse(datasets.find("metres-feet").orElseThrow().csv());
        assertThat(feet.numericColumn("x", 1)).containsExactly(3.28084, 26.24672, 13.12336, 16.4042, 39.37008,
                32.8084, 55.77428);
        assertThat(new CsvTableParser(Limits.defaults()).parse(datasets.find("apples-oranges-15").orElseThrow().csv())
                .rowCount()).isEqualTo(15);
    }

    @Test
    void everyDatasetParsesWithItsColumnsAndHasNamesInBothLanguages() {
        for (BuiltInDataset dataset : datasets.all()) {
            // an image set's table is built from its images, in the label,pixel1,… layout
            Table table = dataset.images() ? datasets.images().shapes().table(10)
                    : new CsvTableParser(Limits.defaults()).parse(dataset.csv());
            assertThat(table.columns()).as(dataset.id()).containsAll(dataset.inputs()).containsAll(dataset.targets());
            for (String language : List.of("es", "en")) {
                ResourceBundle bundle = ResourceBundle.getBundle("i18n.messages", Locale.forLanguageTag(language));
                assertThat(bundle.getString("dataset." + dataset.id() + ".name")).isNotBlank();
                assertThat(bundle.getString("dataset." + dataset.id() + ".description")).isNotBlank();
            }
        }
    }

    @Test
    void theGeneratedFilesAreExactlyWhatTheSeededGeneratorsWrite() throws Exception {
        for (var file : DatasetGenerators.generated().entrySet()) {
            assertThat(Files.readString(Path.of("datasets", file.getKey()))).as(file.getKey())
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void heartRateStressStaysInItsRanges() {
        Table table = new CsvTableParser(Limits.defaults()).parse(DatasetGenerators.heartRateStress(1, 500));
        assertThat(java.util.Arrays.stream(table.numericColumn("x", 0)).boxed().toList()).allMatch(bpm -> bpm >= 60 && bpm <= 130);
        assertThat(java.util.Arrays.stream(table.numericColumn("x", 1)).boxed().toList()).allMatch(s -> s >= 1 && s <= 10);
    }
}
