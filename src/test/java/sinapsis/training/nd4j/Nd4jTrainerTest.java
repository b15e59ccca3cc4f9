package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.CsvTableParser;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.EpochStats;
import sinapsis.training.Experiment;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingControl;

/** The course experiments, trained for real on ND4J, checked by behaviour. */
class Nd4jTrainerTest {
    private final BuiltInDatasets datasets = BuiltInDatasets.load();

    private Problem problem(String id, boolean classification, int outputs) {
        var dataset = datasets.find(id).orElseThrow();
        Table table = new CsvTableParser(Limits.defaults()).parse(dataset.csv());
        return ProblemBuilder.build(table, dataset.inputs(), dataset.targets(), classification, outputs);
    }

    private static class Recorder implements TrainingControl {
        final List<EpochStats> epochs = new ArrayList<>();
        int stopAfter = Integer.MAX_VALUE;

        @Override
        public void onEpoch(EpochStats stats) {
            epochs.add(stats);
        }

        @Override
        public boolean shouldStop() {
            return epochs.size() >= stopAfter;
        }
    }

    private static TrainingSpec spec(LossKind loss, OptimizerKind optimizer, double lr, int epochs, int batch,
                                     double validation, boolean standardize) {
        return new TrainingSpec(loss, optimizer, lr, epochs, batch, true, 42, validation, standardize);
    }

    @Test
    void oneNeuronLearnsCelsiusToFahrenheit() {
        Experiment experiment = new Experiment(problem("celsius", false, 1),
                NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                spec(LossKind.MSE, OptimizerKind.ADAM, 0.1, 1000, 0, 0, false));
        Recorder recorder = new Recorder();
        TrainedModel model = new Nd4jTrainer().train(experiment.job(), recorder);
        assertThat(recorder.epochs).hasSize(1000);
        assertThat(recorder.epochs.get(999).loss()).isLessThan(recorder.epochs.get(0).loss() / 100);
        assertThat(experiment.predict(model, new double[][] {{100}})[0][0]).isCloseTo(212, within(2.12));
        assertThat(model.weights().get(0).weights()[0][0]).isCloseTo(1.8, within(0.02));
        assertThat(model.weights().get(0).biases()[0]).isCloseTo(32, within(0.5));
    }

    @Test
    void aOneThreeThreeOneNetworkWithMiniBatchesAndShufflingLearnsMetresToFeet() {
        Experiment experiment = new Experiment(problem("metres-feet", false, 1),
                NetworkSpec.of(LayerSpec.dense(3, Activation.RELU), LayerSpec.dense(3, Activation.RELU),
                        LayerSpec.dense(1, Activation.LINEAR)),
                spec(LossKind.MSE, OptimizerKind.ADAM, 0.01, 1500, 3, 0, true));
        Recorder recorder = new Recorder();
        TrainedModel model = new Nd4jTrainer().train(experiment.job(), recorder);
        assertThat(recorder.epochs.get(recorder.epochs.size() - 1).loss()).isLessThan(0.01);
        assertThat(experiment.predict(model, new double[][] {{10}})[0][0]).isCloseTo(32.8, within(1.0));
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Experiment experiment = new Experiment(problem("apples-oranges-15", false, 2),
                NetworkSpec.of(LayerSpec.dense(2, Activation.LINEAR)),
                spec(LossKind.HUBER, OptimizerKind.RMSPROP, 0.01, 30, 5, 0.2, true));
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        new Nd4jTrainer().train(experiment.job(), first);
        new Nd4jTrainer().train(experiment.job(), second);
        assertThat(first.epochs).isEqualTo(second.epochs);
        assertThat(first.epochs.get(0).valLoss()).isNotNull();
    }

    @Test
    void classifiesTwoCirclesAndReportsAccuracyPerEpoch() {
        Experiment experiment = new Experiment(problem("circles", true, 2),
                NetworkSpec.of(LayerSpec.dense(8, Activation.TANH), LayerSpec.dense(2, Activation.SOFTMAX)),
                spec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.05, 300, 0, 0.2, false));
        Recorder recorder = new Recorder();
        TrainedModel model = new Nd4jTrainer().train(experiment.job(), recorder);
        EpochStats last = recorder.epochs.get(recorder.epochs.size() - 1);
        assertThat(last.accuracy()).isGreaterThan(0.9);
        assertThat(last.valAccuracy()).isGreaterThan(0.85);
        double[] probabilities = model.predict(new double[][] {{0, 0}})[0];
        assertThat(probabilities[0] + probabilities[1]).isCloseTo(1, within(1e-5));
        assertThat(probabilities[0]).as("the centre is the inner class").isGreaterThan(0.5);
    }

    @Test
    void stopsBetweenEpochsWhenAsked() {
        Experiment experiment = new Experiment(problem("celsius", false, 1),
                NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                spec(LossKind.MAE, OptimizerKind.MOMENTUM, 0.001, 1000, 0, 0, false));
        Recorder recorder = new Recorder();
        recorder.stopAfter = 7;
        new Nd4jTrainer().train(experiment.job(), recorder);
        assertThat(recorder.epochs).hasSize(7);
    }

    @Test
    void denseNetworksReportLongEpochsBatchByBatchThroughTheSameLoopAsImageNetworks() {
        // the spirals' 400 rows in batches of 50: 8 batches, progress after each but the last
        Experiment experiment = new Experiment(problem("spirals", true, 2),
                NetworkSpec.of(LayerSpec.dense(8, Activation.TANH), LayerSpec.dense(2, Activation.SOFTMAX)),
                spec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.02, 3, 50, 0, false));
        List<sinapsis.training.BatchProgress> batches = new ArrayList<>();
        Recorder recorder = new Recorder() {
            @Override
            public void onBatch(sinapsis.training.BatchProgress progress) {
                batches.add(progress);
            }
        };
        new Nd4jTrainer(1, java.time.Duration.ZERO).train(experiment.job(), recorder);
        assertThat(recorder.epochs).hasSize(3);
        assertThat(batches).hasSize(3 * 7);
        assertThat(batches.get(0).batches()).isEqualTo(8);
        assertThat(batches.get(6).batch()).isEqualTo(7);
        assertThat(batches.get(0).accuracy()).isBetween(0.0, 1.0);
        assertThat(batches.get(20).epoch()).isEqualTo(3);
    }
}
