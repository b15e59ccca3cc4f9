package sinapsis.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
import sinapsis.store.SearchStore;
import sinapsis.store.SessionStore;
import sinapsis.support.Eventually;
import sinapsis.support.TestDatabases;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.Nd4jTrainer;

/** A grid search parses its table once, shares its rows between combinations and folds, and lets them go when it ends. */
class SearchMemoryTest {
    private final TrainingService training = new TrainingService(new Nd4jTrainer(), 1);
    private final Database database = Database.open(TestDatabases.sqlite());
    private final SessionService sessions = new SessionService(BuiltInDatasets.load(), Limits.defaults(), training,
            new SessionStore(database), Duration.ofMillis(50));
    private final SearchService searches = new SearchService(sessions, new SearchStore(database), new GridExpansion(new sinapsis.json.SpecJson(id -> null)),
            Duration.ofMillis(20));

    @AfterEach
    void close() {
        searches.close();
        sessions.close();
        training.close();
        database.close();
    }

    private static String table(int rows) {
        StringBuilder csv = new StringBuilder("a,b,c\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i % 17).append(',').append(i % 5).append(',').append((i % 17) * 2 + i % 5).append('\n');
        }
        return csv.toString();
    }

    private static SearchRequest learningRates(String csv, double... rates) {
        List<Combination> combinations = new ArrayList<>();
        for (double rate : rates) {
            combinations.add(new Combination(Map.of("training.learningRate", rate),
                    new SessionSpec(DataSpec.ofCsv(csv, List.of("a", "b"), List.of("c")),
                            NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                            new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, rate, 3, 0, true, 42, 0, false))));
        }
        return new SearchRequest(List.of("training.learningRate"), combinations, 3,
                "{\"grid\": {\"training.learningRate\": []}, \"folds\": 3}", null);
    }

    @Test
    void combinationsShareOneProblemAndTheirFolds() {
        SearchRequest request = learningRates(table(3000), 0.1, 0.01, 0.001, 0.0001);
        List<Experiment> experiments = sessions.experiments(request.combinations().stream().map(Combination::spec)
                .toList());
        assertThat(experiments).extracting(Experiment::problem).allSatisfy(p -> assertThat(p)
                .isSameAs(experiments.get(0).problem()));
        GridSearch search = searches.create(request).search();
        List<GridSearch.FoldRun> runs = search.runs();
        for (int f = 0; f < 3; f++) {
            assertThat(runs.get(f).experiment.problem()).as("fold " + f + " shared by every combination")
                    .isSameAs(runs.get(3 + f).experiment.problem()).isSameAs(runs.get(9 + f).experiment.problem());
        }
        // row 1000 leads fold 0 (rows 0-999 held out last) and sits at 2000 in fold 1 (1000-1999 held out)
        assertThat(runs.get(0).experiment.problem().x()[0]).as("rows shared, not copied")
                .isSameAs(runs.get(1).experiment.problem().x()[2000]);
        Eventually.waitFor("the search to end", Duration.ofSeconds(60), search::isOver);
        assertThat(search.runs()).as("the folds' data and runs are released").isEmpty();
        assertThat(search.snapshot().results()).hasSize(4).allSatisfy(r -> assertThat(r.meanScore()).isNotNull());
        assertThat(search.snapshot().runsDone()).isEqualTo(12);
    }
}
