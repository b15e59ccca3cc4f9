package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.CsvTableParser;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.model.Activation;
import sinapsis.model.EarlyStopping;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.support.Eventually;
import sinapsis.training.Checkpoint;
import sinapsis.training.EpochEvent;
import sinapsis.training.EpochStats;
import sinapsis.training.Experiment;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;
import sinapsis.training.RunOwner;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingRun;
import sinapsis.training.TrainingService;

/**
 * A run resumed from a checkpoint trains exactly the epochs the uninterrupted run trains: the same
 * losses bit for bit and the same parameters at the end — mini-batches in a shuffled order, Adam's
 * moments, dropout's masks and early stopping's record all carried over.
 */
class CheckpointResumeTest {
    /** Records every epoch; checkpoints after {@code checkpointAt} and stops there; or resumes from one. */
    private static final class Control implements TrainingControl {
        final List<EpochStats> epochs = new ArrayList<>();
        final int checkpointAt;
        final Checkpoint from;
        Checkpoint taken;
        int asked;

        Control(int checkpointAt, Checkpoint from) {
            this.checkpointAt = checkpointAt;
            this.from = from;
        }

        @Override
        public void onEpoch(EpochStats stats) {
            epochs.add(stats);
        }

        @Override
        public boolean shouldStop() {
            return taken != null; // as a node that dies right after its checkpoint
        }

        @Override
        public boolean wantsCheckpoint() {
            asked++;
            return epochs.size() == checkpointAt;
        }

        @Override
        public void onCheckpoint(Checkpoint checkpoint) {
            taken = checkpoint;
        }

        @Override
        public Checkpoint resumeFrom() {
            return from;
        }
    }

    private static Problem spirals() {
        var dataset = BuiltInDatasets.load().find("spirals").orElseThrow();
        Table table = new CsvTableParser(Limits.defaults()).parse(dataset.csv());
        return ProblemBuilder.build(table, dataset.inputs(), dataset.targets(), true, 2);
    }

    private static void assertResumesExactly(Experiment experiment, int epochs, int checkpointAt) {
        Control whole = new Control(-1, null);
        List<LayerWeights> expected = new Nd4jTrainer().train(experiment.job(), whole).weights();
        assertThat(whole.epochs).hasSize(epochs);

        Control first = new Control(checkpointAt, null);
        new Nd4jTrainer().train(experiment.job(), first);
        assertThat(first.taken).isNotNull();
        assertThat(first.taken.epoch()).isEqualTo(checkpointAt);
        assertThat(first.epochs).hasSize(checkpointAt);

        Control resumed = new Control(-1, first.taken);
        TrainedModel model = new Nd4jTrainer().train(experiment.job(), resumed);

        assertThat(resumed.epochs).extracting(EpochStats::epoch)
                .containsExactlyElementsOf(whole.epochs.subList(checkpointAt, epochs).stream()
                        .map(EpochStats::epoch).toList());
        assertThat(resumed.epochs).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(whole.epochs.subList(checkpointAt, epochs));
        assertThat(model.weights()).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(expected);
    }

    @Test
    void aDenseRunInShuffledMiniBatchesWithAdamGoesOnAsIfNeverStopped() {
        TrainingSpec training = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.01, 30, 50, true, 7,
                0.2, false);
        NetworkSpec network = NetworkSpec.of(LayerSpec.dense(16, Activation.TANH),
                LayerSpec.dense(2, Activation.SOFTMAX));
        assertResumesExactly(new Experiment(spirals(), network, training), 30, 12);
    }

    @Test
    void earlyStoppingKeepsItsRecordAndItsBestWeightsAcrossTheCheckpoint() {
        // patience 3 on val_loss with the best weights restored: the stop and the weights it puts back
        // depend on epochs before the checkpoint
        TrainingSpec training = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.SGD, 0.5, 400, 20, true, 3,
                0.3, false, new EarlyStopping(EarlyStopping.Monitor.VAL_LOSS, 3, 0, true));
        NetworkSpec network = NetworkSpec.of(LayerSpec.dense(8, Activation.RELU), LayerSpec.dense(2, Activation.SOFTMAX));
        Experiment experiment = new Experiment(spirals(), network, training);
        Control whole = new Control(-1, null);
        new Nd4jTrainer().train(experiment.job(), whole);
        int stoppedAt = whole.epochs.size();
        assertThat(stoppedAt).as("early stopping ends the run").isLessThan(400).isGreaterThan(6);
        assertResumesExactly(experiment, stoppedAt, stoppedAt - 2);
    }

    @Test
    void anImageNetworkWithDropoutGoesOnAsIfNeverStopped() {
        Experiment experiment = ConvTrainerTest.shapes(ConvTrainerTest.SMALL_CNN, 3);
        assertResumesExactly(experiment, 3, 1);
    }

    @Test
    void aCheckpointOfAnotherNetworkIsRefusedNamingWhatDiffers() {
        TrainingSpec training = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.01, 5, 50, true, 7,
                0.2, false);
        Experiment small = new Experiment(spirals(), NetworkSpec.of(LayerSpec.dense(4, Activation.TANH),
                LayerSpec.dense(2, Activation.SOFTMAX)), training);
        Control first = new Control(2, null);
        new Nd4jTrainer().train(small.job(), first);

        Experiment bigger = new Experiment(spirals(), NetworkSpec.of(LayerSpec.dense(16, Activation.TANH),
                LayerSpec.dense(2, Activation.SOFTMAX)), training);
        assertThatThrownBy(() -> new Nd4jTrainer().train(bigger.job(), new Control(-1, first.taken)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("values for one of");
    }

    @Test
    void aRunHandedBackLeavesAtItsCheckpointAndAnotherRunGoesOnFromIt() {
        TrainingSpec training = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.01, 3000, 50, true, 7,
                0.2, false);
        Experiment experiment = new Experiment(spirals(), NetworkSpec.of(LayerSpec.dense(8, Activation.TANH),
                LayerSpec.dense(2, Activation.SOFTMAX)), training);
        try (TrainingService service = new TrainingService(new Nd4jTrainer(), 1)) {
            TrainingRun first = new TrainingRun(experiment);
            first.checkpointEvery(java.time.Duration.ofHours(1));
            service.submit(first, RunOwner.alone(), null);
            Eventually.waitFor("some epochs", java.time.Duration.ofSeconds(30), () -> first.lastSeq() >= 5);
            first.requestHandBack();
            Eventually.waitFor("it to leave", java.time.Duration.ofSeconds(30), first::handedBack);
            assertThat(first.status()).as("not over: it goes on elsewhere").isEqualTo(RunStatus.RUNNING);
            assertThat(first.result()).isNull();
            assertThat(first.checkpoint().epoch()).as("it left at its checkpoint").isEqualTo((int) first.lastSeq())
                    .isLessThan(3000);
            Eventually.waitFor("its worker to be free", java.time.Duration.ofSeconds(5), service::hasIdleSlot);

            TrainingRun second = new TrainingRun(experiment);
            second.resumeFrom(first.checkpoint(), first.history(), first.startedAt());
            service.submit(second, RunOwner.alone(), null);
            Eventually.waitFor("it to finish", java.time.Duration.ofSeconds(60),
                    () -> second.status() == RunStatus.FINISHED);
            assertThat(second.history()).extracting(EpochEvent::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 3000).boxed().toList());
            assertThat(second.resumedAfter()).isEqualTo(first.checkpoint().epoch());
            assertThat(second.startedAt()).as("when it first started").isEqualTo(first.startedAt());
        }
    }
}
