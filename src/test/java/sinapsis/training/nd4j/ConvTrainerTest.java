package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.data.ImageLayout;
import sinapsis.data.ImageSet;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.ShapeImages;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.Padding;
import sinapsis.model.TrainingSpec;
import sinapsis.training.BatchProgress;
import sinapsis.training.EpochStats;
import sinapsis.training.Experiment;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingControl;

class ConvTrainerTest {
    static final NetworkSpec SMALL_CNN = NetworkSpec.of(LayerSpec.conv2d(8, 3, 1, Padding.VALID, Activation.RELU),
            LayerSpec.maxPool2d(2, 2), LayerSpec.conv2d(16, 3, 1, Padding.VALID, Activation.RELU),
            LayerSpec.maxPool2d(2, 2), LayerSpec.flatten(), LayerSpec.dropout(0.2),
            LayerSpec.dense(32, Activation.RELU), LayerSpec.dense(ShapeImages.CLASSES, Activation.SOFTMAX));

    static Experiment shapes(NetworkSpec network, int epochs) {
        ImageSet images = ShapeImages.generate(7, 600, 120);
        Problem problem = ProblemBuilder.build(images.table(0), ImageLayout.pixelColumns(ShapeImages.SIDE),
                List.of(ImageLayout.LABEL), true, ShapeImages.CLASSES).asImages(ShapeImages.SIDE, images.testCount());
        TrainingSpec training = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.002, epochs, 16, true,
                42, 0.2, false);
        return new Experiment(problem, network, training);
    }

    static final class Recording implements TrainingControl {
        final List<EpochStats> epochs = new ArrayList<>();
        final List<BatchProgress> batches = new ArrayList<>();

        @Override
        public void onEpoch(EpochStats stats) {
            epochs.add(stats);
        }

        @Override
        public void onBatch(BatchProgress progress) {
            batches.add(progress);
        }

        @Override
        public boolean shouldStop() {
            return false;
        }
    }

    @Test
    void aSmallCnnLearnsTheShapesWellAboveChance() {
        Experiment experiment = shapes(SMALL_CNN, 4);
        Recording control = new Recording();
        TrainedModel model = new Nd4jTrainer().train(experiment.job(), control);

        assertThat(control.epochs).hasSize(4);
        EpochStats last = control.epochs.get(3);
        assertThat(last.loss()).isLessThan(control.epochs.get(0).loss());
        assertThat(last.valAccuracy()).isGreaterThan(0.6); // chance: 1/6
        double[][] test = java.util.Arrays.copyOfRange(experiment.problem().x(), experiment.problem().fitRows(),
                experiment.problem().rows());
        double[][] probabilities = experiment.predict(model, test);
        assertThat(probabilities).hasNumberOfRows(120);
        for (double[] row : probabilities) {
            assertThat(java.util.Arrays.stream(row).sum()).isCloseTo(1.0, within(1e-4));
        }
    }

    @Test
    void longEpochsReportTheirBatchesAsTheyGo() {
        Recording control = new Recording();
        new Nd4jTrainer(1, java.time.Duration.ZERO).train(shapes(SMALL_CNN, 2).job(), control);
        // 480 training images in batches of 16: 30 batches, progress after each but the last, per epoch
        assertThat(control.batches).hasSize(2 * 29);
        BatchProgress first = control.batches.get(0);
        assertThat(first.epoch()).isEqualTo(1);
        assertThat(first.batch()).isEqualTo(1);
        assertThat(first.batches()).isEqualTo(30);
        assertThat(first.accuracy()).isBetween(0.0, 1.0);
        assertThat(control.batches.get(57).epoch()).isEqualTo(2);
        assertThat(control.batches.get(57).batch()).isEqualTo(29);
        assertThat(control.batches.get(57).loss()).isPositive().isLessThan(first.loss());
    }

    @Test
    void restoredFromItsWeightsAModelPredictsTheSame() {
        Experiment experiment = shapes(SMALL_CNN, 1);
        Nd4jTrainer trainer = new Nd4jTrainer();
        TrainedModel model = trainer.train(experiment.job(), new Recording());
        TrainedModel restored = trainer.restore(SMALL_CNN, experiment.training(), InputShape.image(28, 28, 1),
                model.weights());
        double[][] x = java.util.Arrays.copyOf(experiment.job().xVal(), 10);
        double[][] expected = model.predict(x);
        double[][] actual = restored.predict(x);
        for (int r = 0; r < x.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                assertThat(actual[r][c]).isCloseTo(expected[r][c], within(1e-5));
            }
        }
        assertThat(model.weights()).hasSize(4);
        assertThat(model.weights().get(0).weights()).hasNumberOfRows(9); // 3 × 3 × 1 inputs per filter
    }

    @Test
    void anImageResultPredictsItsTestImagesAndReportsTheLastEpochsAccuracies() throws InterruptedException {
        Experiment experiment = shapes(SMALL_CNN, 1);
        try (sinapsis.training.TrainingService service = new sinapsis.training.TrainingService(new Nd4jTrainer(), 1)) {
            sinapsis.training.TrainingRun run = service.submit(experiment);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!run.status().isOver() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            var result = run.result();
            assertThat(result).as("the run ended %s: %s", run.status(), run.failure()).isNotNull();
            var last = run.history().get(run.history().size() - 1);
            int fit = experiment.problem().fitRows();
            // the training and validation images are not predicted again: the last epoch measured them
            assertThat(result.predictions()[0]).isNull();
            assertThat(result.predictions()[fit - 1]).isNull();
            assertThat(result.predictions()[fit]).hasSize(ShapeImages.CLASSES);
            assertThat(result.metrics().get("accuracy")).isEqualTo(last.metrics().get("accuracy"));
            assertThat(result.metrics().get("val_accuracy")).isEqualTo(last.metrics().get("val_accuracy"));
            double[][] test = java.util.Arrays.copyOfRange(experiment.problem().x(), fit, experiment.problem().rows());
            double[][] expected = experiment.predict(new Nd4jTrainer().restore(SMALL_CNN, experiment.training(),
                    InputShape.image(28, 28, 1), result.weights()), test);
            int correct = 0;
            for (int r = 0; r < test.length; r++) {
                if (sinapsis.training.Results.classIndex(expected[r])
                        == sinapsis.training.Results.classIndex(experiment.problem().y()[fit + r])) {
                    correct++;
                }
            }
            assertThat(result.metrics().get("test_accuracy")).isEqualTo(correct / (double) test.length);
        }
    }
}
