package sinapsis.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sinapsis.data.BuiltInDatasets;
import sinapsis.model.Activation;
import sinapsis.model.DataSpec;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.SessionSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.session.SessionService;
import sinapsis.store.Database;
import sinapsis.store.DatabaseConfig;
import sinapsis.store.SearchStore;
import sinapsis.store.SessionStore;
import sinapsis.support.Eventually;
import sinapsis.support.TestDatabases;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.Nd4jTrainer;

/** A grid search's results outlive the server that ran it; one that was running comes back interrupted. */
class SearchPersistenceTest {
    private static final BuiltInDatasets DATASETS = BuiltInDatasets.load();
    private final TrainingService training = new TrainingService(new Nd4jTrainer(), 1);

    @AfterEach
    void close() {
        training.close();
    }

    static Stream<DatabaseConfig> databases() {
        return TestDatabases.all().stream();
    }

    private static SearchRequest learningRates(int epochs, double... rates) {
        List<Combination> combinations = java.util.Arrays.stream(rates).mapToObj(rate -> new Combination(
                Map.of("training.learningRate", rate),
                new SessionSpec(new DataSpec(null, "celsius", List.of(), List.of()),
                        NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                        new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, rate, epochs, 0, true, 42, 0, false))))
                .toList();
        return new SearchRequest(List.of("training.learningRate"), combinations, 3,
                "{\"grid\": {\"training.learningRate\": []}, \"folds\": 3}", null);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aFinishedSearchIsTheSameAfterARestartAndARunningOneIsInterrupted(DatabaseConfig config) {
        String finishedId;
        String runningId;
        SearchSnapshot before;
        try (Database database = Database.open(config)) {
            SessionService sessions = new SessionService(DATASETS, Limits.defaults(), training,
                    new SessionStore(database), Duration.ofMillis(50));
            SearchService searches = new SearchService(sessions, new SearchStore(database),
                    new GridExpansion(new sinapsis.json.SpecJson(id -> null)), Duration.ofMillis(20));
            GridSearch finished = searches.create(learningRates(200, 0.01, 0.1)).search();
            Eventually.waitFor("the search to end", Duration.ofSeconds(60), finished::isOver);
            before = finished.snapshot();
            finishedId = finished.id();
            runningId = searches.create(learningRates(100_000, 0.1)).search().id();
            Eventually.waitFor("the long search to start", Duration.ofSeconds(10),
                    () -> "running".equals(searches.find(runningId).orElseThrow().status()));
            searches.close();
            sessions.close();
        }
        try (Database database = Database.open(config)) {
            SessionService sessions = new SessionService(DATASETS, Limits.defaults(), training,
                    new SessionStore(database), Duration.ofMillis(50));
            SearchService searches = new SearchService(sessions, new SearchStore(database),
                    new GridExpansion(new sinapsis.json.SpecJson(id -> null)), Duration.ofMillis(20));
            SearchSnapshot after = searches.find(finishedId).orElseThrow().snapshot();
            assertThat(after.status()).isEqualTo("finished");
            assertThat(after.best()).isEqualTo(before.best());
            assertThat(after.bestSessionId()).isEqualTo(before.bestSessionId());
            assertThat(after.results()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(after.results().get(i).meanScore()).isEqualTo(before.results().get(i).meanScore());
                assertThat(after.results().get(i).rank()).isEqualTo(before.results().get(i).rank());
                assertThat(after.results().get(i).params()).isEqualTo(before.results().get(i).params());
            }
            assertThat(searches.find(runningId).orElseThrow().snapshot().status()).isEqualTo("interrupted");
            assertThat(sessions.find(before.bestSessionId())).isPresent();
            searches.close();
            sessions.close();
        }
    }
}
