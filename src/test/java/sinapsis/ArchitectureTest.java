package sinapsis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package rules of the design: ND4J in one package, SQL in one package, no web in the core, java.* only in model. */
class ArchitectureTest {
    private static List<Path> sources(String packagePath) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/sinapsis", packagePath))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    private static List<Path> importing(List<Path> files, String prefix) throws IOException {
        List<Path> offenders = new java.util.ArrayList<>();
        for (Path file : files) {
            if (Files.readString(file).lines().anyMatch(l -> l.startsWith("import " + prefix))) {
                offenders.add(file);
            }
        }
        return offenders;
    }

    @Test
    void onlyTrainingNd4jImportsNd4jOrDl4j() throws IOException {
        List<Path> outside = sources("").stream()
                .filter(f -> !f.startsWith(Path.of("src/main/java/sinapsis/training/nd4j"))).toList();
        assertThat(outside).hasSizeGreaterThan(30);
        assertThat(importing(outside, "org.nd4j")).isEmpty();
        assertThat(importing(outside, "org.deeplearning4j")).isEmpty();
    }

    @Test
    void theCoreKnowsNothingOfTheWeb() throws IOException {
        for (String core : List.of("model", "data", "training", "session", "store", "cluster")) {
            assertThat(importing(sources(core), "io.javalin")).as(core).isEmpty();
            assertThat(importing(sources(core), "sinapsis.web")).as(core).isEmpty();
        }
    }

    @Test
    void onlyTheStoreTalksToTheDatabase() throws IOException {
        List<Path> outside = sources("").stream()
                .filter(f -> !f.startsWith(Path.of("src/main/java/sinapsis/store"))).toList();
        for (String library : List.of("org.jdbi", "org.flywaydb", "com.zaxxer", "java.sql", "org.h2", "org.postgresql")) {
            assertThat(importing(outside, library)).as(library).isEmpty();
        }
    }

    @Test
    void specsUseOnlyJava() throws IOException {
        for (Path file : sources("model")) {
            assertThat(Files.readString(file).lines().filter(l -> l.startsWith("import "))
                    .allMatch(l -> l.startsWith("import java.") || l.startsWith("import static java.")))
                    .as(file.toString()).isTrue();
        }
    }
}
