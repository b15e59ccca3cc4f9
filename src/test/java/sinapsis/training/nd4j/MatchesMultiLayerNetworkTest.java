package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.EpochStats;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/** The lean training loop computes what DL4J's MultiLayerNetwork computes, from the same initial weights. */
class MatchesMultiLayerNetworkTest {
    private static final int EPOCHS = 50;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("celsius Dense(1) adam", celsius(), NetworkSpec.of(dense(1, Activation.LINEAR)),
                        LossKind.MSE, OptimizerKind.ADAM, 0.1, 0, 0.0, 0.0),
                Arguments.of("1-3-3-1 tanh/relu sgd", celsius(), NetworkSpec.of(dense(3, Activation.TANH),
                        dense(3, Activation.RELU), dense(1, Activation.LINEAR)), LossKind.MSE, OptimizerKind.SGD,
                        0.0001, 0, 0.0, 0.0),
                Arguments.of("1-3-3-1 sigmoid/leaky rmsprop mae", celsius(), NetworkSpec.of(
                        dense(3, Activation.SIGMOID), dense(3, Activation.LEAKY_RELU),
                        dense(1, Activation.LINEAR)), LossKind.MAE, OptimizerKind.RMSPROP, 0.01, 0, 0.0, 0.0),
                Arguments.of("1-4-2 softmax hidden huber", apples(), NetworkSpec.of(dense(4, Activation.SOFTMAX),
                        dense(2, Activation.LINEAR)), LossKind.HUBER, OptimizerKind.ADAM, 0.1, 0, 0.0, 0.0),
                Arguments.of("apples momentum minibatch", apples(), NetworkSpec.of(dense(2, Activation.LINEAR)),
                        LossKind.MSE, OptimizerKind.MOMENTUM, 0.00001, 2, 0.0, 0.0),
                Arguments.of("xor softmax crossentropy", xor(), NetworkSpec.of(dense(8, Activation.TANH),
                        dense(2, Activation.SOFTMAX)), LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.05, 0, 0.0, 0.0),
                Arguments.of("xor sigmoid binary crossentropy", xorBinary(), NetworkSpec.of(
                        dense(4, Activation.RELU), dense(1, Activation.SIGMOID)), LossKind.CROSSENTROPY,
                        OptimizerKind.ADAM, 0.05, 0, 0.0, 0.0),
                Arguments.of("xor l2 penalty (Keras's kernel_regularizer)", xor(), NetworkSpec.of(
                        dense(8, Activation.TANH), dense(2, Activation.SOFTMAX)), LossKind.CROSSENTROPY,
                        OptimizerKind.ADAM, 0.05, 0, 0.0, 0.01),
                Arguments.of("1-3-3-1 l1 and l2 sgd minibatch", celsius(), NetworkSpec.of(dense(3, Activation.TANH),
                        dense(3, Activation.RELU), dense(1, Activation.LINEAR)), LossKind.MSE, OptimizerKind.SGD,
                        0.0001, 3, 0.05, 0.02));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameLossesAsMultiLayerNetworkOver50Epochs(String name, double[][][] data, NetworkSpec spec, LossKind loss,
                                                   OptimizerKind optimizer, double learningRate, int batchSize,
                                                   double l1, double l2) {
        double[][] x = data[0];
        double[][] y = data[1];
        TrainingSpec training = new TrainingSpec(loss, optimizer, learningRate, EPOCHS, batchSize, false, 7, 0, false,
                null, sinapsis.model.Task.AUTO, 0, l1, l2);
        DenseNetwork ours = DenseNetwork.initialise(spec, x[0].length, training.seed());
        MultiLayerNetwork reference = MultiLayerNetworks.build(spec, x[0].length, training, y[0].length);
        for (int l = 0; l < ours.layerCount(); l++) {
            reference.getLayer(l).setParam("W", ours.weightsOnly(l).dup());
            reference.getLayer(l).setParam("b", ours.layer(l).getRow(ours.size(l)).reshape(1, ours.size(l + 1)).dup());
        }

        List<Double> ourLosses = new ArrayList<>();
        new Nd4jTrainer().train(ours, new TrainingJob(spec, training, x, y, new double[0][], new double[0][],
                loss.isClassification()), recorder(ourLosses));

        List<Double> referenceLosses = new ArrayList<>();
        List<DataSet> batches = batches(x, y, batchSize);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            double sum = 0;
            for (DataSet batch : batches) {
                reference.fit(batch);
                sum += reference.score() * batch.numExamples();
            }
            referenceLosses.add(sum / x.length);
        }

        assertThat(ourLosses).hasSize(EPOCHS);
        assertThat(ourLosses.get(EPOCHS - 1)).isLessThan(ourLosses.get(0));
        for (int i = 0; i < EPOCHS; i++) {
            double expected = referenceLosses.get(i);
            assertThat(ourLosses.get(i)).as("%s epoch %d", name, i + 1)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4 * Math.max(1, Math.abs(expected))));
        }
    }

    private static List<DataSet> batches(double[][] x, double[][] y, int batchSize) {
        int size = batchSize <= 0 ? x.length : batchSize;
        List<DataSet> batches = new ArrayList<>();
        for (int start = 0; start < x.length; start += size) {
            int end = Math.min(x.length, start + size);
            INDArray features = Nd4j.create(java.util.Arrays.copyOfRange(x, start, end)).castTo(DenseNetwork.DTYPE);
            INDArray labels = Nd4j.create(java.util.Arrays.copyOfRange(y, start, end)).castTo(DenseNetwork.DTYPE);
            batches.add(new DataSet(features, labels));
        }
        return batches;
    }

    /** Records each epoch's training loss. */
    static TrainingControl recorder(List<Double> losses) {
        return new TrainingControl() {
            @Override
            public void onEpoch(EpochStats stats) {
                losses.add(stats.loss());
            }

            @Override
            public boolean shouldStop() {
                return false;
            }
        };
    }

    private static LayerSpec dense(int units, Activation activation) {
        return LayerSpec.dense(units, activation);
    }

    private static double[][][] celsius() {
        double[] c = {-40, -10, 0, 8, 15, 22, 38};
        double[][] x = new double[c.length][1];
        double[][] y = new double[c.length][1];
        for (int i = 0; i < c.length; i++) {
            x[i][0] = c[i];
            y[i][0] = c[i] * 1.8 + 32;
        }
        return new double[][][] {x, y};
    }

    private static double[][][] apples() {
        return new double[][][] {
            {{73, 67, 43}, {91, 88, 64}, {87, 134, 58}, {102, 43, 37}, {69, 96, 70}},
            {{56, 70}, {81, 101}, {119, 133}, {22, 37}, {103, 119}}};
    }

    private static double[][][] xor() {
        Random random = new Random(3);
        double[][] x = new double[40][2];
        double[][] y = new double[40][2];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = random.nextDouble() * 2 - 1;
            x[i][1] = random.nextDouble() * 2 - 1;
            y[i][(x[i][0] > 0) != (x[i][1] > 0) ? 1 : 0] = 1;
        }
        return new double[][][] {x, y};
    }

    private static double[][][] xorBinary() {
        double[][][] data = xor();
        double[][] y = new double[data[1].length][1];
        for (int i = 0; i < y.length; i++) {
            y[i][0] = data[1][i][1];
        }
        return new double[][][] {data[0], y};
    }
}
