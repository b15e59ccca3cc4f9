package sinapsis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sinapsis.model.Limits;

/** Every environment variable is read once, here, with its default and range. */
class ConfigTest {
    @Test
    void anEmptyEnvironmentGivesTheDocumentedDefaults() {
        Config config = Config.fromEnvironment(Map.of());
        assertThat(config.port()).isEqualTo(7070);
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.workers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(config.nd4jThreads()).isEqualTo(1);
        assertThat(config.historyFlush()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.timeSlice()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.slowViewerTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.retentionDays()).isZero();
        assertThat(config.limits()).isEqualTo(Limits.defaults());
        assertThat(config.database().isSqlite()).isTrue();
        assertThat(config.database().url()).endsWith(Path.of("data", "sinapsis.db").toString());
        assertThat(config.publicUrl()).isNull();
        assertThat(config.fashionMnistDir()).isNull();
    }

    @Test
    void everyVariableIsReadAndAPostgresUrlCarriesItsUser() {
        Config config = Config.fromEnvironment(Map.ofEntries(Map.entry("PORT", "8080"), Map.entry("DATA_DIR", "/srv/s"),
                Map.entry("WORKERS", "3"), Map.entry("ND4J_THREADS", "2"), Map.entry("HISTORY_FLUSH_MS", "100"),
                Map.entry("TIME_SLICE_MS", "50"), Map.entry("SLOW_VIEWER_SECONDS", "4"),
                Map.entry("SINAPSIS_RETENTION_DAYS", " 30 "), Map.entry("PUBLIC_URL", "https://clase.example"),
                Map.entry("SINAPSIS_MAX_EPOCHS", "500"), Map.entry("SINAPSIS_MAX_SPACE_MB", "9"),
                Map.entry("DATABASE_URL", "postgres://ana:secreto@db.example:6543/sinapsis"),
                Map.entry("FASHION_MNIST_DIR", "/datos/fashion")));
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.dataDir()).isEqualTo(Path.of("/srv/s"));
        assertThat(config.workers()).isEqualTo(3);
        assertThat(config.nd4jThreads()).isEqualTo(2);
        assertThat(config.historyFlush()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.timeSlice()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.slowViewerTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.retentionDays()).isEqualTo(30);
        assertThat(config.publicUrl()).isEqualTo("https://clase.example");
        assertThat(config.limits().maxEpochs()).isEqualTo(500);
        assertThat(config.limits().maxSpaceMegabytes()).isEqualTo(9);
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db.example:6543/sinapsis");
        assertThat(config.database().user()).isEqualTo("ana");
        assertThat(config.database().password()).isEqualTo("secreto");
        assertThat(config.fashionMnistDir()).isEqualTo(Path.of("/datos/fashion"));

        Map<String, String> shown = config.shown();
        assertThat(shown).containsEntry("WORKERS", "3").containsEntry("SINAPSIS_MAX_EPOCHS", "500")
                .containsEntry("SINAPSIS_RETENTION_DAYS", "30").doesNotContainKey("DATABASE_PASSWORD");
        assertThat(String.join(" ", shown.values())).doesNotContain("secreto");
        assertThat(shown.keySet()).as("every variable but the user and password is shown")
                .containsAll(java.util.Arrays.stream(Config.Variable.values()).map(Enum::name)
                        .filter(n -> !n.equals("DATABASE_USER") && !n.equals("DATABASE_PASSWORD")).toList());
    }

    @Test
    void aBadValueStopsTheStartNamingTheVariableAndTheValue() {
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("WORKERS", "dos")))
                .hasMessageContaining("WORKERS").hasMessageContaining("dos");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PORT", "70000")))
                .hasMessageContaining("PORT").hasMessageContaining("70000");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("SINAPSIS_MAX_ROWS", "0")))
                .hasMessageContaining("SINAPSIS_MAX_ROWS").hasMessageContaining("0");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("DATABASE_URL", "mysql://x")))
                .hasMessageContaining("DATABASE_URL").hasMessageContaining("mysql://x");
        assertThatThrownBy(() -> Config.defaults(0, Path.of("d")).withWorkers(0))
                .hasMessageContaining("WORKERS").hasMessageContaining("0");
    }

    @Test
    void theReadmeTableListsEveryVariable() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        for (Config.Variable variable : Config.Variable.values()) {
            assertThat(readme).as(variable.name()).containsPattern("\\| [^|\\n]*`" + variable.name() + "`[^|\\n]* \\|");
        }
    }
}
