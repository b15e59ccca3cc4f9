package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.ProblemBuilder;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.Experiment;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingControl;

/** A trained network survives storage: rebuilt from its weights, and written as a DL4J file that DL4J reads. */
class StoredModelTest {
    private static final NetworkSpec NETWORK = NetworkSpec.of(LayerSpec.dense(3, Activation.TANH),
            LayerSpec.dense(3, Activation.RELU), LayerSpec.dense(1, Activation.LINEAR));
    private static final TrainingSpec TRAINING = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.05, 300, 0,
            true, 42, 0, true);
    private static final double[][] INPUTS = {{-40}, {0}, {37}, {100}};

    private static TrainedModel trained(Nd4jTrainer trainer, Experiment experiment) {
        return trainer.train(experiment.job(), new TrainingControl() {
            @Override
            public void onEpoch(sinapsis.training.EpochStats stats) {
            }

            @Override
            public boolean shouldStop() {
                return false;
            }
        });
    }

    private static Experiment celsius() {
        var dataset = BuiltInDatasets.load().find("celsius").orElseThrow();
        return new Experiment(ProblemBuilder.build(dataset.table(), dataset.inputs(), dataset.targets(), false, 1),
                NETWORK, TRAINING);
    }

    @Test
    void aModelRebuiltFromItsWeightsPredictsTheSame() {
        Nd4jTrainer trainer = new Nd4jTrainer();
        Experiment experiment = celsius();
        TrainedModel model = trained(trainer, experiment);
        TrainedModel restored = trainer.restore(NETWORK, experiment.training(), sinapsis.model.InputShape.flat(1),
                model.weights());
        double[][] expected = model.predict(INPUTS);
        double[][] actual = restored.predict(INPUTS);
        for (int r = 0; r < INPUTS.length; r++) {
            assertThat(actual[r][0]).isCloseTo(expected[r][0], within(1e-6));
        }
        assertThat(restored.weights()).usingRecursiveComparison().isEqualTo(model.weights());
    }

    @Test
    void theDl4jFileLoadsInMultiLayerNetworkAndGivesTheSameOutputs(@TempDir Path dir) throws Exception {
        Nd4jTrainer trainer = new Nd4jTrainer();
        Experiment experiment = celsius();
        TrainedModel model = trained(trainer, experiment);
        Path file = dir.resolve("model.zip");
        try (var out = Files.newOutputStream(file)) {
            trainer.writeModel(NETWORK, TRAINING, 1, model.weights(), out);
        }

        // as the README in the download says
        MultiLayerNetwork loaded = MultiLayerNetwork.load(file.toFile(), false);
        double[][] scaled = experiment.inputScaler().transform(INPUTS);
        double[][] expected = model.predict(scaled);
        double[][] actual = loaded.output(Nd4j.create(scaled).castTo(DenseNetwork.DTYPE)).toDoubleMatrix();
        for (int r = 0; r < INPUTS.length; r++) {
            assertThat(actual[r][0]).isCloseTo(expected[r][0], within(1e-5));
        }
        // with the scaling the README describes, the file answers in °F as the session does
        assertThat(experiment.targetScaler().inverse(new double[][] {actual[3]})[0][0])
                .isCloseTo(experiment.predict(model, INPUTS)[3][0], within(1e-3));
    }
}
