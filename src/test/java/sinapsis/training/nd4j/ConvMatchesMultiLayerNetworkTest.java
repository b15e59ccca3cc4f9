package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LayerSpec;
import sinapsis.model.LayerType;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.Padding;
import sinapsis.model.TrainingSpec;
import sinapsis.training.TrainingJob;

/**
 * The prepared image passes compute what DL4J's MultiLayerNetwork computes with its convolution,
 * subsampling and dense layers, from the same initial weights: the same loss every epoch and the
 * same predictions at the end.
 */
class ConvMatchesMultiLayerNetworkTest {
    private static final int SIDE = 10;
    private static final int EPOCHS = 4;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("course-like: conv relu, pool, conv relu, pool, dense, softmax, adam",
                        NetworkSpec.of(LayerSpec.conv2d(4, 3, 1, Padding.VALID, Activation.RELU),
                                LayerSpec.maxPool2d(2, 2), LayerSpec.conv2d(6, 2, 1, Padding.VALID, Activation.RELU),
                                LayerSpec.maxPool2d(2, 2), LayerSpec.flatten(), LayerSpec.dense(8, Activation.RELU),
                                LayerSpec.dense(3, Activation.SOFTMAX)),
                        LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.01),
                // (not RMSprop: DL4J starts its average of squares at epsilon, ND4J's op and Keras at 0)
                Arguments.of("same padding, strides, tanh and sigmoid",
                        NetworkSpec.of(LayerSpec.conv2d(5, 3, 2, Padding.SAME, Activation.TANH),
                                new LayerSpec.MaxPool2d(3, 2, Padding.SAME),
                                LayerSpec.conv2d(4, 2, 1, Padding.SAME, Activation.SIGMOID), LayerSpec.flatten(),
                                LayerSpec.dense(3, Activation.SOFTMAX)),
                        LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.01),
                Arguments.of("regression: leaky relu, mse on a linear output, sgd",
                        NetworkSpec.of(LayerSpec.conv2d(3, 3, 1, Padding.VALID, Activation.LEAKY_RELU),
                                LayerSpec.maxPool2d(2, 2), LayerSpec.flatten(), LayerSpec.dense(6, Activation.TANH),
                                LayerSpec.dense(3, Activation.LINEAR)),
                        LossKind.MSE, OptimizerKind.SGD, 0.05));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameLossesAndPredictionsAsMultiLayerNetwork(String name, NetworkSpec spec, LossKind loss,
                                                     OptimizerKind optimizer, double learningRate) {
        double[][][] data = blobs(96, 11);
        double[][] x = data[0];
        double[][] y = data[1];
        InputShape input = InputShape.image(SIDE, SIDE, 1);
        TrainingSpec training = new TrainingSpec(loss, optimizer, learningRate, EPOCHS, 16, false, 5, 0, false);
        ConvNetwork ours = ConvNetwork.initialise(spec, input, training.seed());
        MultiLayerNetwork reference = MultiLayerNetworks.buildConvolutional(spec, input, training);
        copyParameters(spec, ours, reference);

        List<Double> ourLosses = new ArrayList<>();
        TrainingJob job = new TrainingJob(spec, training, x, y, new double[0][], new double[0][],
                loss.isClassification(), input);
        var model = ConvPasses.train(ours, job, MatchesMultiLayerNetworkTest.recorder(ourLosses),
                Nd4jTrainer.PROGRESS_EVERY.toNanos());

        List<Double> referenceLosses = new ArrayList<>();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            double sum = 0;
            for (int from = 0; from < x.length; from += 16) {
                DataSet batch = new DataSet(images(Arrays.copyOfRange(x, from, from + 16)),
                        Nd4j.createFromArray(ConvNetwork.toFloat(Arrays.copyOfRange(y, from, from + 16))));
                reference.fit(batch);
                sum += reference.score() * 16;
            }
            referenceLosses.add(sum / x.length);
        }

        assertThat(ourLosses).hasSize(EPOCHS);
        assertThat(ourLosses.get(EPOCHS - 1)).isLessThan(ourLosses.get(0));
        for (int i = 0; i < EPOCHS; i++) {
            assertThat(ourLosses.get(i)).as("%s epoch %d", name, i + 1)
                    .isCloseTo(referenceLosses.get(i), within(1e-4 * Math.max(1, referenceLosses.get(i))));
        }
        double[][] predictions = model.predict(Arrays.copyOf(x, 20));
        double[][] expected = reference.output(images(Arrays.copyOf(x, 20))).castTo(
                org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
        for (int r = 0; r < expected.length; r++) {
            for (int c = 0; c < expected[r].length; c++) {
                assertThat(predictions[r][c]).as("%s prediction %d,%d", name, r, c)
                        .isCloseTo(expected[r][c], within(1e-4));
            }
        }
    }

    /** DL4J keeps a convolution's kernel as [filters, in, k, k] and biases as a row; Flatten is no layer there. */
    private static void copyParameters(NetworkSpec spec, ConvNetwork ours, MultiLayerNetwork reference) {
        int referenceLayer = 0;
        int parameterLayer = 0;
        for (LayerSpec layer : spec.layers()) {
            if (layer.type() == LayerType.FLATTEN) {
                continue;
            }
            if (layer.type() == LayerType.CONV2D || layer.type() == LayerType.DENSE) {
                ConvNetwork.LayerParameters p = ours.layer(parameterLayer++);
                var weights = layer.type() == LayerType.CONV2D ? p.weights().permute(3, 2, 0, 1).dup('c')
                        : p.weights().dup();
                reference.getLayer(referenceLayer).setParam("W", weights);
                reference.getLayer(referenceLayer).setParam("b", p.biases().reshape(1, p.biases().length()).dup());
            }
            referenceLayer++;
        }
    }

    private static org.nd4j.linalg.api.ndarray.INDArray images(double[][] rows) {
        // grey levels, divided as the image network divides them
        return Nd4j.createFromArray(ConvNetwork.gather(rows, i -> i, rows.length, 1f / InputShape.MAX_GREY_LEVEL))
                .reshape(rows.length, SIDE, SIDE, 1);
    }

    /** Noisy grey images with a bright square in one of three places; the label is the place, one-hot. */
    private static double[][][] blobs(int count, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[count][SIDE * SIDE];
        double[][] y = new double[count][3];
        for (int i = 0; i < count; i++) {
            int label = i % 3;
            int top = label == 0 ? 1 : 5;
            int left = label == 1 ? 1 : 5;
            for (int p = 0; p < x[i].length; p++) {
                int row = p / SIDE;
                int column = p % SIDE;
                boolean inside = row >= top && row < top + 4 && column >= left && column < left + 4;
                x[i][p] = Math.max(0, Math.min(255, (inside ? 200 : 25) + random.nextGaussian() * 25));
            }
            y[i][label] = 1;
        }
        return new double[][][] {x, y};
    }
}
