package sinapsis.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import sinapsis.data.Problem;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.support.Eventually;

/** The queue and the run life cycle, with a fake trainer: no ND4J here. */
class TrainingServiceTest {
    private static final Problem LINE = new Problem(List.of("x"), List.of("y"),
            new double[][] {{1}, {2}, {3}, {4}}, new double[][] {{2}, {4}, {6}, {8}}, List.of());

    /** Reports a falling loss each epoch; can be held at its first epoch until released. */
    static final class FakeTrainer implements Trainer {
        final CountDownLatch release = new CountDownLatch(1);
        final boolean hold;
        final double lossAtEpoch3;

        FakeTrainer(boolean hold, double lossAtEpoch3) {
            this.hold = hold;
            this.lossAtEpoch3 = lossAtEpoch3;
        }

        @Override
        public TrainedModel train(TrainingJob job, TrainingControl control) {
            for (int epoch = 1; epoch <= job.training().epochs() && !control.shouldStop(); epoch++) {
                if (hold && epoch == 2) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                control.onEpoch(new EpochStats(epoch, epoch == 3 ? lossAtEpoch3 : 1.0 / epoch, null, null, null));
            }
            return new FakeModel(new LayerWeights(new double[][] {{2}}, new double[] {0}));
        }

        @Override
        public TrainedModel restore(NetworkSpec network, sinapsis.model.TrainingSpec training,
                                    sinapsis.model.InputShape input, List<LayerWeights> weights) {
            return new FakeModel(weights.get(0));
        }

        @Override
        public void writeModel(NetworkSpec network, TrainingSpec training, int inputs, List<LayerWeights> weights,
                               java.io.OutputStream out) throws java.io.IOException {
            out.write(("fake model " + weights.get(0).weights()[0][0]).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public GradientStep step(TrainingJob job, int step) {
            throw new UnsupportedOperationException("the fake trainer does not step");
        }

        @Override
        public BackendInfo backend() {
            return new BackendInfo("CPU", "fake");
        }
    }

    /** y = w·x + b, one input and one output. */
    record FakeModel(LayerWeights layer) implements TrainedModel {
        @Override
        public double[][] predict(double[][] inputs) {
            double[][] out = new double[inputs.length][1];
            for (int i = 0; i < inputs.length; i++) {
                out[i][0] = layer.weights()[0][0] * inputs[i][0] + layer.biases()[0];
            }
            return out;
        }

        @Override
        public List<LayerWeights> weights() {
            return List.of(layer);
        }
    }

    private static Experiment experiment(int epochs) {
        return new Experiment(LINE, NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                TrainingSpec.defaults().withEpochs(epochs));
    }

    @Test
    void runsFinishWithTheirWholeHistoryAndAResult() {
        try (TrainingService service = new TrainingService(new FakeTrainer(false, 1.0 / 3), 1)) {
            TrainingRun run = service.submit(experiment(50));
            Eventually.waitFor("the run", Duration.ofSeconds(5), () -> run.status().isOver());
            assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(run.history()).extracting(EpochEvent::seq).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
            assertThat(run.eventsSince(45)).extracting(EpochEvent::seq).containsExactly(46L, 47L, 48L, 49L, 50L);
            assertThat(run.result().metrics().get("r2")).isEqualTo(1.0);
            assertThat(run.result().equation()).isEqualTo(new Equation(2, 0));
            assertThat(run.predict(new double[][] {{10}})[0][0]).isEqualTo(20);
        }
    }

    @Test
    void aThinnedHistoryIsEvenlySpreadAndEndsWithTheLastEpoch() {
        try (TrainingService service = new TrainingService(new FakeTrainer(false, 1.0 / 3), 1)) {
            TrainingRun run = service.submit(experiment(1000));
            Eventually.waitFor("the run", Duration.ofSeconds(5), () -> run.status().isOver());
            List<EpochEvent> thinned = run.thinned(300);
            // every 4th epoch (1000 / 300 rounded up), then the last
            assertThat(thinned).extracting(EpochEvent::epoch).startsWith(1, 5, 9).endsWith(997, 1000);
            assertThat(thinned).hasSize(251);
            assertThat(run.thinned(5000)).hasSize(1000);
        }
    }

    @Test
    void queuedRunsKnowTheirPositionAndAStoppedQueuedRunNeverStarts() {
        FakeTrainer trainer = new FakeTrainer(true, 1.0 / 3);
        try (TrainingService service = new TrainingService(trainer, 1)) {
            TrainingRun first = service.submit(experiment(5));
            Eventually.waitFor("the first run to start", Duration.ofSeconds(5),
                    () -> first.status() == RunStatus.RUNNING);
            TrainingRun second = service.submit(experiment(5));
            TrainingRun third = service.submit(experiment(5));
            assertThat(service.queuePosition(first)).isZero();
            assertThat(service.queuePosition(second)).isEqualTo(1);
            assertThat(service.queuePosition(third)).isEqualTo(2);
            service.stop(second);
            assertThat(second.status()).isEqualTo(RunStatus.STOPPED);
            assertThat(service.queuePosition(third)).isEqualTo(1);
            trainer.release.countDown();
            Eventually.waitFor("the third run", Duration.ofSeconds(5), () -> third.status().isOver());
            assertThat(first.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(second.history()).isEmpty();
        }
    }

    @Test
    void stoppingARunningRunKeepsWhatItLearned() {
        FakeTrainer trainer = new FakeTrainer(true, 1.0 / 3);
        try (TrainingService service = new TrainingService(trainer, 1)) {
            TrainingRun run = service.submit(experiment(1000));
            Eventually.waitFor("the first epoch", Duration.ofSeconds(5), () -> run.lastSeq() == 1);
            service.stop(run);
            trainer.release.countDown();
            Eventually.waitFor("the stop", Duration.ofSeconds(5), () -> run.status().isOver());
            assertThat(run.status()).isEqualTo(RunStatus.STOPPED);
            assertThat(run.history().size()).isLessThan(1000);
            assertThat(run.result()).isNotNull();
        }
    }

    @Test
    void aLossThatBecomesNaNFailsTheRunWithAdvice() {
        try (TrainingService service = new TrainingService(new FakeTrainer(false, Double.NaN), 1)) {
            TrainingRun run = service.submit(experiment(100));
            Eventually.waitFor("the run", Duration.ofSeconds(5), () -> run.status().isOver());
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.failure()).isEqualTo("error.diverged");
            assertThat(run.history()).hasSize(2);
        }
    }

    @Test
    void standardisedRunsReportInOriginalUnits() {
        Experiment experiment = new Experiment(LINE, NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                new TrainingSpec(TrainingSpec.defaults().loss(), TrainingSpec.defaults().optimizer(), 0.1, 10, 0,
                        true, 1, 0.25, true));
        assertThat(experiment.trainRows()).isEqualTo(3);
        TrainingJob job = experiment.job();
        assertThat(job.xTrain()).hasNumberOfRows(3);
        assertThat(job.xVal()).hasNumberOfRows(1);
        double mean = (job.xTrain()[0][0] + job.xTrain()[1][0] + job.xTrain()[2][0]) / 3;
        assertThat(mean).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
        // a model that echoes its (standardised) input maps back to y = 2x in original units
        TrainedModel echo = new TrainedModel() {
            @Override
            public double[][] predict(double[][] inputs) {
                return inputs;
            }

            @Override
            public List<LayerWeights> weights() {
                return List.of(new LayerWeights(new double[][] {{1}}, new double[] {0}));
            }
        };
        assertThat(experiment.predict(echo, new double[][] {{10}})[0][0])
                .isCloseTo(20, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Results.equation(experiment, echo).weight()).isCloseTo(2, org.assertj.core.data.Offset.offset(1e-9));
    }
}
