package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LayerShapes;
import sinapsis.model.LayerSpec;
import sinapsis.model.LayerType;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.Padding;
import sinapsis.model.TrainingSpec;
import sinapsis.training.LayerWeights;

/**
 * A network with image layers as a SameDiff graph (NHWC, float32): {@code conv2d} and
 * {@code maxpool2d} run on libnd4j's oneDNN kernels where the build has them, the gradients are
 * SameDiff's and the optimizer is ND4J's updater. Dropout multiplies by a mask fed as a
 * placeholder per batch (0 or 1/(1 − rate) while training, 1 when predicting), as Keras's
 * inverted dropout does. Parameters are Glorot-uniform initialised from the seed (Keras's
 * default), biases zero.
 */
final class ConvNetwork {
    static final DataType DTYPE = DataType.FLOAT;
    static final String INPUT = "input";
    static final String LABEL = "label";
    static final String OUTPUT = "output";
    static final String LOSS = "loss";

    /** A dropout layer's mask placeholder: its name, rate and the shape of one example. */
    record Mask(String name, double rate, long[] exampleShape) {
    }

    private final SameDiff sd;
    private final NetworkSpec spec;
    private final InputShape input;
    private final List<String> weightNames = new ArrayList<>();
    private final List<String> biasNames = new ArrayList<>();
    private final List<Mask> masks = new ArrayList<>();
    private String logits;

    private ConvNetwork(NetworkSpec spec, InputShape input, LossKind loss, List<LayerWeights> initial) {
        this.sd = SameDiff.create();
        this.spec = spec;
        this.input = input;
        LayerShapes shapes = LayerShapes.of(spec, input);
        SDVariable x = sd.placeHolder(INPUT, DTYPE, -1, input.height(), input.width(), input.channels());
        int parameterLayer = 0;
        for (int i = 0; i < spec.layers().size(); i++) {
            LayerSpec layer = spec.layers().get(i);
            LayerShapes.Row row = shapes.rows().get(i);
            boolean last = i == spec.layers().size() - 1;
            switch (layer.type()) {
                case CONV2D -> {
                    LayerWeights w = initial.get(parameterLayer++);
                    SDVariable kernel = variable("w" + i, w.weights(), layer.kernel(), layer.kernel(),
                            row.in().channels(), layer.filters());
                    SDVariable bias = sd.var("b" + i, Nd4j.createFromArray(toFloat(w.biases())));
                    weightNames.add(kernel.name());
                    biasNames.add(bias.name());
                    Conv2DConfig config = Conv2DConfig.builder().kH(layer.kernel()).kW(layer.kernel())
                            .sH(layer.stride()).sW(layer.stride()).paddingMode(padding(layer.padding()))
                            .dataFormat("NHWC").weightsFormat(WeightsFormat.YXIO).build();
                    x = activate(sd.cnn().conv2d(x, kernel, bias, config), layer.activation());
                }
                case MAXPOOL2D -> x = sd.cnn().maxPooling2d(x, Pooling2DConfig.builder().kH(layer.size())
                        .kW(layer.size()).sH(layer.stride()).sW(layer.stride()).paddingMode(padding(layer.padding()))
                        .isNHWC(true).build());
                case FLATTEN -> x = x.reshape(-1, row.out().size());
                case DROPOUT -> {
                    long[] shape = row.in().isImage()
                            ? new long[] {row.in().height(), row.in().width(), row.in().channels()}
                            : new long[] {row.in().size()};
                    long[] withBatch = new long[shape.length + 1];
                    withBatch[0] = -1;
                    System.arraycopy(shape, 0, withBatch, 1, shape.length);
                    Mask mask = new Mask("mask" + i, layer.rate(), shape);
                    masks.add(mask);
                    x = x.mul(sd.placeHolder(mask.name(), DTYPE, withBatch));
                }
                case DENSE -> {
                    LayerWeights w = initial.get(parameterLayer++);
                    SDVariable weights = variable("w" + i, w.weights(), row.in().size(), layer.units());
                    SDVariable bias = sd.var("b" + i, Nd4j.createFromArray(toFloat(w.biases())));
                    weightNames.add(weights.name());
                    biasNames.add(bias.name());
                    SDVariable z = x.mmul(weights).add(bias);
                    if (last) {
                        output(z, layer, loss);
                    } else {
                        x = activate(z, layer.activation());
                    }
                }
            }
        }
    }

    /** A new network with seeded Glorot-uniform weights. */
    static ConvNetwork initialise(NetworkSpec spec, InputShape input, LossKind loss, long seed) {
        return new ConvNetwork(spec, input, loss, glorot(spec, input, seed));
    }

    /** A network with the given parameters (as {@link #weights()} gave them). */
    static ConvNetwork of(NetworkSpec spec, InputShape input, LossKind loss, List<LayerWeights> weights) {
        return new ConvNetwork(spec, input, loss, weights);
    }

    /** The placeholders a batch's features go to, in order: the images, then each dropout mask. */
    List<String> featureNames() {
        List<String> features = new ArrayList<>();
        features.add(INPUT);
        masks.forEach(mask -> features.add(mask.name()));
        return features;
    }

    void configureTraining(TrainingSpec training) {
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(Nd4jMapping.updater(training.optimizer(), training.learningRate()))
                .dataSetFeatureMapping(featureNames()).dataSetLabelMapping(LABEL).build());
    }

    SameDiff graph() {
        return sd;
    }

    InputShape input() {
        return input;
    }

    List<Mask> masks() {
        return masks;
    }

    /** The output layer's input to its activation: the variable the training step computes forward. */
    String logits() {
        return logits;
    }

    int outputSize() {
        return spec.output().units();
    }

    /** The last layer's activation, and a loss computed from its input where that is steadier (softmax/sigmoid + cross-entropy). */
    private void output(SDVariable z, LayerSpec layer, LossKind loss) {
        SDVariable label = sd.placeHolder(LABEL, DTYPE, -1, layer.units());
        logits = z.name();
        SDVariable out = activate(z, layer.activation());
        sd.updateVariableNameAndReference(out, OUTPUT);
        switch (loss) {
            case CROSSENTROPY -> {
                if (layer.activation() == Activation.SOFTMAX) {
                    sd.loss().softmaxCrossEntropy(LOSS, label, z, null);
                } else {
                    sd.loss().sigmoidCrossEntropy(LOSS, label, z, null);
                }
            }
            case MSE -> sd.loss().meanSquaredError(LOSS, label, out, null);
            case MAE -> sd.loss().absoluteDifference(LOSS, label, out, null);
            case HUBER -> sd.loss().huberLoss(LOSS, label, out, null, Nd4jMapping.HUBER_DELTA);
        }
        sd.setLossVariables(LOSS);
    }

    private SDVariable activate(SDVariable z, Activation activation) {
        return switch (activation) {
            case LINEAR -> z;
            case RELU -> sd.nn().relu(z, 0);
            case LEAKY_RELU -> sd.nn().leakyRelu(z, Nd4jMapping.LEAKY_RELU_ALPHA);
            case TANH -> sd.math().tanh(z);
            case SIGMOID -> sd.nn().sigmoid(z);
            case SOFTMAX -> sd.nn().softmax(z, -1);
        };
    }

    private SDVariable variable(String name, double[][] rows, long... shape) {
        return sd.var(name, Nd4j.createFromArray(toFloat(rows)).reshape(shape));
    }

    private static PaddingMode padding(Padding padding) {
        return padding == Padding.SAME ? PaddingMode.SAME : PaddingMode.VALID;
    }

    /** The probabilities (or values) of the output layer for a batch of images, NHWC. */
    INDArray predict(INDArray images) {
        return sd.output(feedWithoutDropout(images), OUTPUT).get(OUTPUT);
    }

    /** Placeholders for a forward pass with dropout off: the images, and masks of ones. */
    Map<String, INDArray> feedWithoutDropout(INDArray images) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(INPUT, images);
        for (Mask mask : masks) {
            feed.put(mask.name(), Nd4j.ones(DTYPE, maskShape(mask, images.size(0))));
        }
        return feed;
    }

    /** Rows {@code [from, from + size)} of flat images (pixel after pixel) as a float NHWC batch. */
    INDArray images(double[][] rows, int from, int size) {
        int exampleSize = input.size();
        float[] values = new float[size * exampleSize];
        for (int r = 0; r < size; r++) {
            double[] row = rows[from + r];
            for (int i = 0; i < exampleSize; i++) {
                values[r * exampleSize + i] = (float) row[i];
            }
        }
        return Nd4j.createFromArray(values).reshape(size, input.height(), input.width(), input.channels());
    }

    static long[] maskShape(Mask mask, long batch) {
        long[] shape = new long[mask.exampleShape().length + 1];
        shape[0] = batch;
        System.arraycopy(mask.exampleShape(), 0, shape, 1, mask.exampleShape().length);
        return shape;
    }

    /**
     * The parameters per layer that has them: a convolution's kernel as {@code [(y·k + x)·in + c][filter]}
     * (Keras's kernel flattened), a Dense layer's as {@code [input][unit]}.
     */
    List<LayerWeights> weights() {
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < weightNames.size(); l++) {
            INDArray w = sd.getVariable(weightNames.get(l)).getArr();
            INDArray b = sd.getVariable(biasNames.get(l)).getArr();
            long units = w.size(w.rank() - 1);
            layers.add(new LayerWeights(w.reshape(w.length() / units, units).castTo(DataType.DOUBLE).toDoubleMatrix(),
                    b.castTo(DataType.DOUBLE).toDoubleVector()));
        }
        return layers;
    }

    /** Glorot-uniform kernels (fan-in and fan-out include the window, as Keras counts them) and zero biases. */
    static List<LayerWeights> glorot(NetworkSpec spec, InputShape input, long seed) {
        Random random = new Random(seed);
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerShapes.Row row : LayerShapes.of(spec, input).rows()) {
            LayerSpec layer = row.layer();
            int rows;
            int units;
            double fanIn;
            double fanOut;
            if (layer.type() == LayerType.CONV2D) {
                int window = layer.kernel() * layer.kernel();
                rows = window * row.in().channels();
                units = layer.filters();
                fanIn = rows;
                fanOut = (double) window * units;
            } else if (layer.type() == LayerType.DENSE) {
                rows = row.in().size();
                units = layer.units();
                fanIn = rows;
                fanOut = units;
            } else {
                continue;
            }
            double limit = Math.sqrt(6 / (fanIn + fanOut));
            double[][] w = new double[rows][units];
            for (double[] r : w) {
                for (int u = 0; u < units; u++) {
                    r[u] = (random.nextDouble() * 2 - 1) * limit;
                }
            }
            layers.add(new LayerWeights(w, new double[units]));
        }
        return layers;
    }

    static float[][] toFloat(double[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = toFloat(rows[r]);
        }
        return out;
    }

    static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
