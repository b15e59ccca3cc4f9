package sinapsis.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.data.Problem;
import sinapsis.model.Activation;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.support.Eventually;

/** Runs take turns: time slices, one run at a time per student, round-robin admission, queue limits. */
class FairSchedulingTest {
    private static final Problem LINE = new Problem(List.of("x"), List.of("y"),
            new double[][] {{1}, {2}}, new double[][] {{2}, {4}}, List.of());

    /** One millisecond of "work" per epoch, so that slices are measurable. */
    private static final class SlowTrainer implements Trainer {
        private final TrainingServiceTest.FakeTrainer fake = new TrainingServiceTest.FakeTrainer(false, 0.5);

        @Override
        public TrainedModel train(TrainingJob job, TrainingControl control) {
            for (int epoch = 1; epoch <= job.training().epochs() && !control.shouldStop(); epoch++) {
                long until = System.nanoTime() + 1_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                control.onEpoch(new EpochStats(epoch, 1.0 / epoch, null, null, null));
            }
            return fake.restore(job.network(), job.training(), sinapsis.model.InputShape.flat(1), List.of(new LayerWeights(new double[][] {{2}}, new double[] {0})));
        }

        @Override
        public TrainedModel restore(sinapsis.model.NetworkSpec network, sinapsis.model.TrainingSpec training,
                                    sinapsis.model.InputShape input, List<LayerWeights> weights) {
            return fake.restore(network, training, input, weights);
        }

        @Override
        public GradientStep step(TrainingJob job, int step) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void writeModel(NetworkSpec network, TrainingSpec training, int inputs, List<LayerWeights> weights,
                               java.io.OutputStream out) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BackendInfo backend() {
            return new BackendInfo("CPU", "slow fake");
        }
    }

    private static Experiment experiment(int epochs) {
        return new Experiment(LINE, NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                TrainingSpec.defaults().withEpochs(epochs));
    }

    private static Limits limits(int maxQueued, int maxRunningPerStudent, int maxQueuedPerStudent) {
        Limits d = Limits.defaults();
        return new Limits(d.maxPasteBytes(), d.maxRows(), d.maxColumns(), d.maxParameters(), d.maxEpochs(),
                d.maxCreatedPerMinute(), maxQueued, d.maxSessionsPerStudent(), maxRunningPerStudent,
                maxQueuedPerStudent, d.maxBatchMegabytes(), d.maxRunsPerClient(), d.maxSpaceMegabytes());
    }

    @Test
    void aSlotASearchsFoldComputesOnCanTakeOneRunFromTheClustersQueueWhichItGetsWithinASlice() {
        try (TrainingService service = new TrainingService(new SlowTrainer(), 1, Duration.ofMillis(100),
                Limits.defaults())) {
            assertThat(service.slotsASearchShares()).as("nothing computes: the idle slot takes runs").isZero();
            TrainingRun fold = service.submitSearchFold(experiment(100_000));
            Eventually.waitFor("the fold to compute", Duration.ofSeconds(5), () -> fold.lastSeq() > 10);
            assertThat(service.slotsASearchShares()).isEqualTo(1);
            TrainingRun taken = service.submit(experiment(5), new RunOwner("A", "ana"));
            assertThat(service.slotsASearchShares()).as("one run waits for the fold's slot already").isZero();
            Eventually.waitFor("the fold to give the run its slot", Duration.ofSeconds(5),
                    () -> taken.status() == RunStatus.FINISHED);
            assertThat(fold.status()).isEqualTo(RunStatus.RUNNING);

            TrainingRun run = service.submit(experiment(100_000), new RunOwner("B", "bea"));
            Eventually.waitFor("the run to compute, the fold waiting", Duration.ofSeconds(5),
                    () -> run.lastSeq() > 10 && service.slotsASearchShares() == 0);
            service.stop(fold);
            service.stop(run);
        }
    }

    @Test
    void aLongRunLetsAShortOneQueuedAfterItFinishWithinASlice() {
        try (TrainingService service = new TrainingService(new SlowTrainer(), 1, Duration.ofMillis(100),
                Limits.defaults())) {
            TrainingRun heavy = service.submit(experiment(100_000), new RunOwner("A", "ana"));
            Eventually.waitFor("the heavy run to start", Duration.ofSeconds(5), () -> heavy.lastSeq() > 10);
            long submitted = System.nanoTime();
            TrainingRun small = service.submit(experiment(50), new RunOwner("B", "luis"));
            Eventually.waitFor("the small run", Duration.ofSeconds(10), () -> small.status().isOver());
            long waitedMillis = (System.nanoTime() - submitted) / 1_000_000;
            assertThat(small.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(heavy.status()).as("the heavy run is still going").isEqualTo(RunStatus.RUNNING);
            // one slice (100 ms) plus its own 50 epochs of 1 ms, with room for a busy machine
            assertThat(waitedMillis).isLessThan(5_000);
            long heavyEpochs = heavy.lastSeq();
            Eventually.waitFor("the heavy run to resume", Duration.ofSeconds(5), () -> heavy.lastSeq() > heavyEpochs);
            service.stop(heavy);
        }
    }

    @Test
    void aStudentTrainsOneRunAtATimeAndOthersAreAdmittedRoundRobin() {
        try (TrainingService service = new TrainingService(new SlowTrainer(), 1, Duration.ofMinutes(1),
                limits(100, 1, 3))) {
            TrainingRun first = service.submit(experiment(100_000), new RunOwner("A", "ana"));
            TrainingRun anaAgain = service.submit(experiment(10), new RunOwner("A", "ana"));
            TrainingRun luis = service.submit(experiment(10), new RunOwner("A", "luis"));
            TrainingRun eva = service.submit(experiment(10), new RunOwner("B", "eva"));
            Eventually.waitFor("the first run", Duration.ofSeconds(5), () -> first.status() == RunStatus.RUNNING);
            // Ana's second run waits for her first; Luis and Eva are admitted before it
            assertThat(service.queuePosition(luis)).isEqualTo(1);
            assertThat(service.queuePosition(eva)).isEqualTo(2);
            assertThat(service.queuePosition(anaAgain)).isEqualTo(3);
            assertThat(service.estimatedWaitSeconds(anaAgain)).isPositive();
            service.stop(first);
            Eventually.waitFor("every run", Duration.ofSeconds(10),
                    () -> anaAgain.status().isOver() && luis.status().isOver() && eva.status().isOver());
            assertThat(luis.startedAt()).isLessThanOrEqualTo(eva.startedAt());
            assertThat(eva.startedAt()).isLessThanOrEqualTo(anaAgain.startedAt());
        }
    }

    @Test
    void queueLimitsAreRefusedNamingTheLimit() {
        try (TrainingService service = new TrainingService(new SlowTrainer(), 1, Duration.ofMinutes(1),
                limits(3, 1, 2))) {
            TrainingRun running = service.submit(experiment(100_000), new RunOwner("A", "ana"));
            Eventually.waitFor("the first run", Duration.ofSeconds(5), () -> running.status() == RunStatus.RUNNING);
            service.submit(experiment(10), new RunOwner("A", "ana"));
            service.submit(experiment(10), new RunOwner("A", "ana"));
            assertThatThrownBy(() -> service.submit(experiment(10), new RunOwner("A", "ana")))
                    .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                        assertThat(e.messageKey()).isEqualTo("error.queuedPerStudent");
                        assertThat(e.arguments()).containsExactly(2);
                    });
            service.submit(experiment(10));
            assertThatThrownBy(() -> service.submit(experiment(10)))
                    .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                        assertThat(e.messageKey()).isEqualTo("error.queueFull");
                        assertThat(e.arguments()).containsExactly(3);
                    });
            service.stop(running);
        }
    }
}
