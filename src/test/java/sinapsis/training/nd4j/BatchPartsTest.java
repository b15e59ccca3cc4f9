package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.Padding;
import sinapsis.training.EpochStats;
import sinapsis.training.Experiment;

/**
 * A batch of images cut into parts that run side by side gives the batch's own loss, gradient and
 * outputs; how many cores a run may use changes how fast, never what it computes; the cores are
 * shared among the runs computing at the moment.
 */
class BatchPartsTest {
    private static final NetworkSpec NETWORK = NetworkSpec.of(LayerSpec.conv2d(4, 3, 1, Padding.VALID,
            Activation.RELU), LayerSpec.maxPool2d(2, 2), LayerSpec.conv2d(6, 2, 1, Padding.VALID, Activation.TANH),
            LayerSpec.flatten(), LayerSpec.dense(8, Activation.RELU), LayerSpec.dense(3, Activation.SOFTMAX));
    private static final InputShape INPUT = InputShape.image(10, 10, 1);

    @AfterEach
    void everyCoreAgain() {
        Nd4jBackend.limitImageThreads(Nd4jBackend.openMpDefault());
    }

    @Test
    void aBatchCutInPartsHasTheLossGradientAndOutputsOfTheWholeBatch() {
        int rows = 19; // parts of 7, 6 and 6 rows
        ConvNetwork network = ConvNetwork.initialise(NETWORK, INPUT, 3);
        Random random = new Random(5);
        float[] images = new float[rows * 100];
        for (int i = 0; i < images.length; i++) {
            images[i] = random.nextFloat();
        }
        float[] labels = new float[rows * 3];
        for (int r = 0; r < rows; r++) {
            labels[r * 3 + random.nextInt(3)] = 1;
        }
        INDArray wholeGradient = Nd4j.create(ConvNetwork.DTYPE, network.params().shape(), 'c');
        INDArray partedGradient = Nd4j.create(ConvNetwork.DTYPE, network.params().shape(), 'c');
        try (ConvPass whole = new ConvPass(network, rows, LossKind.CROSSENTROPY, network.views(wholeGradient));
             BatchParts runner = new BatchParts(3);
             PartedPass parted = new PartedPass(network, rows, 3, LossKind.CROSSENTROPY, partedGradient, 3, runner)) {
            whole.fill(images, labels);
            for (int p = 0; p < parted.parts(); p++) {
                int from = parted.firstRow(p);
                int size = parted.part(p).rows;
                parted.part(p).fill(java.util.Arrays.copyOfRange(images, from * 100, (from + size) * 100),
                        java.util.Arrays.copyOfRange(labels, from * 3, (from + size) * 3));
            }
            assertThat(List.of(parted.part(0).rows, parted.part(1).rows, parted.part(2).rows)).containsExactly(7, 6, 6);

            double wholeLoss = whole.forwardAndLoss();
            double partedLoss = parted.forwardAndLoss();
            whole.backward();
            parted.backward();

            assertThat(partedLoss).isCloseTo(wholeLoss, within(1e-6));
            float[] expectedScores = whole.scores();
            float[] scores = parted.scores();
            assertThat(scores).hasSameSizeAs(expectedScores);
            for (int i = 0; i < scores.length; i++) {
                assertThat(scores[i]).as("output %d", i).isCloseTo(expectedScores[i], within(1e-5f));
            }
            float[] expected = wholeGradient.data().asFloat();
            float[] actual = partedGradient.data().asFloat();
            double largest = 0;
            for (float value : expected) {
                largest = Math.max(largest, Math.abs(value));
            }
            assertThat(largest).isPositive();
            for (int i = 0; i < expected.length; i++) {
                assertThat((double) actual[i]).as("gradient %d", i).isCloseTo(expected[i], within(1e-5 * largest));
            }

            // the loop may sum the parts' gradients slice by slice (with the optimizer's step): the same numbers
            partedGradient.assign(0);
            parted.forwardAndLoss(); // the parts' own gradients again (the sum scales them in place)
            assertThat(parted.backsBySlice(3)).isTrue();
            assertThat(parted.backsBySlice(2)).as("cut for 3 slices, not 2").isFalse();
            for (int slice = 0; slice < 3; slice++) {
                parted.backwardSlice(slice);
            }
            assertThat(partedGradient.data().asFloat()).containsExactly(actual);
        }
    }

    @Test
    void aSeededRunComputesTheSameNumbersOnOneCoreAsOnAll() {
        Experiment experiment = ConvTrainerTest.shapes(ConvTrainerTest.SMALL_CNN, 2); // batches of 16, dropout
        Nd4jBackend.limitImageThreads(1);
        ConvTrainerTest.Recording oneCore = new ConvTrainerTest.Recording();
        new Nd4jTrainer().train(experiment.job(), oneCore);
        Nd4jBackend.limitImageThreads(Nd4jBackend.cores());
        ConvTrainerTest.Recording allCores = new ConvTrainerTest.Recording();
        new Nd4jTrainer().train(experiment.job(), allCores);

        assertThat(allCores.epochs).hasSize(2);
        for (int e = 0; e < 2; e++) {
            EpochStats one = oneCore.epochs.get(e);
            EpochStats all = allCores.epochs.get(e);
            assertThat(all.loss()).as("epoch %d loss", e + 1).isEqualTo(one.loss());
            assertThat(all.valLoss()).as("epoch %d val_loss", e + 1).isEqualTo(one.valLoss());
            assertThat(all.valAccuracy()).isEqualTo(one.valAccuracy());
        }
    }

    @Test
    void theCoresAreSharedByTheRunsComputingNow() {
        int cores = Nd4jBackend.cores();
        try (Nd4jBackend.Computing first = Nd4jBackend.computing()) {
            assertThat(Nd4jBackend.imageThreads()).isEqualTo(cores);
            try (Nd4jBackend.Computing second = Nd4jBackend.computing()) {
                assertThat(Nd4jBackend.imageThreads()).isEqualTo(Math.max(1, cores / 2));
                second.idle(); // paused: its share goes back to the others
                assertThat(Nd4jBackend.imageThreads()).isEqualTo(cores);
                second.busy();
                assertThat(Nd4jBackend.imageThreads()).isEqualTo(Math.max(1, cores / 2));
            }
            assertThat(Nd4jBackend.imageThreads()).isEqualTo(cores);
            Nd4jBackend.limitImageThreads(1);
            assertThat(Nd4jBackend.imageThreads()).isEqualTo(1);
        }
    }

    @Test
    void aHelperThatHasNoPartsParksAfterItsSpinAndEndsWhenClosed() throws InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Nd4jBackend.cores() >= 2, "needs a second core for a helper");
        Nd4jBackend.limitImageThreads(2);
        Thread[] helper = new Thread[1];
        BatchParts runner = new BatchParts(2);
        try {
            for (int batch = 0; batch < 50; batch++) { // batch after batch: the helper is handed each one
                runner.each(2, p -> {
                    if (p == 1) {
                        helper[0] = Thread.currentThread();
                    }
                });
            }
            assertThat(helper[0].getName()).isEqualTo(BatchParts.THREAD_NAME);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (helper[0].getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(helper[0].getState()).as("parked, not spinning, with no parts to run").isEqualTo(
                    Thread.State.WAITING);
        } finally {
            runner.close();
        }
        helper[0].join(5000);
        assertThat(helper[0].isAlive()).as("the helper ends with its run").isFalse();
    }

    @Test
    void aFailingPartFailsTheBatchAndAnInterruptWaitsForTheOthers() {
        Nd4jBackend.limitImageThreads(Nd4jBackend.cores());
        try (BatchParts runner = new BatchParts(2)) {
            int[] ran = new int[2];
            assertThatThrownBy(() -> runner.each(2, p -> {
                ran[p]++;
                if (p == 1) {
                    throw new IllegalStateException("part 1 broke");
                }
            })).hasMessage("part 1 broke");
            assertThat(ran).containsExactly(1, 1); // the other part ran to its end

            Thread.currentThread().interrupt();
            int[] done = new int[2];
            String[] threads = new String[2];
            runner.each(2, p -> {
                done[p]++;
                threads[p] = Thread.currentThread().getName();
            });
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            assertThat(done).containsExactly(1, 1);
            if (Nd4jBackend.cores() >= 2) {
                assertThat(threads[1]).isEqualTo(BatchParts.THREAD_NAME); // side by side, not in turn
                assertThat(threads[0]).isEqualTo(Thread.currentThread().getName());
            }
        }
    }
}
