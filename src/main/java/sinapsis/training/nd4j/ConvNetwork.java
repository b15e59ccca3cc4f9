package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LayerShapes;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.training.LayerWeights;

/**
 * A network with image layers (NHWC, float32): its parameters in one flat row vector, so that one
 * updater call touches them all, and the stages its forward pass runs ({@link ConvPass} binds them
 * to libnd4j's operations). A layer's parameters are a view of the vector: a convolution's kernel
 * {@code [k, k, in, filters]} (Keras's layout) then its biases, a Dense layer's
 * {@code [inputs, units]} weights then its biases. New parameters are Glorot-uniform from the
 * seed (Keras's default), biases zero.
 */
final class ConvNetwork {
    static final DataType DTYPE = DataType.FLOAT;

    /**
     * One layer's operation and the activation applied after it. A ReLU between a convolution and
     * a max pooling moves after the pooling: the maximum of rectified values is the rectified
     * maximum, values and gradients are the same, and the activation and its backward pass touch
     * a quarter of the values (on the course CNN its backward pass cost more than a convolution's).
     *
     * @param parameters the index of the layer's weights among the layers that have some, or -1
     */
    record Stage(LayerSpec layer, InputShape in, InputShape out, Activation activation, int parameters) {
        boolean hasParameters() {
            return parameters >= 0;
        }
    }

    /** A layer's weights (a kernel or a matrix) and biases, as views of a flat parameter-shaped vector. */
    record LayerParameters(INDArray weights, INDArray biases) {
    }

    private final NetworkSpec spec;
    private final InputShape input;
    private final List<Stage> stages;
    private final INDArray params;
    private final List<LayerParameters> layers;

    private ConvNetwork(NetworkSpec spec, InputShape input, List<LayerWeights> initial) {
        this.spec = spec;
        this.input = input;
        this.stages = stages(LayerShapes.of(spec, input));
        this.params = Nd4j.create(DTYPE, 1, parameterCount());
        this.layers = views(params);
        if (initial.size() != layers.size()) {
            throw new IllegalArgumentException("weights for " + initial.size() + " layers, the network has "
                    + layers.size() + " with parameters");
        }
        for (int l = 0; l < layers.size(); l++) {
            LayerParameters layer = layers.get(l);
            LayerWeights weights = initial.get(l);
            long units = layer.biases().length();
            if (weights.weights().length * units != layer.weights().length() || weights.biases().length != units) {
                throw new IllegalArgumentException("layer " + l + " has the wrong shape");
            }
            layer.weights().assign(Nd4j.createFromArray(toFloat(weights.weights())).reshape(layer.weights().shape()));
            layer.biases().assign(Nd4j.createFromArray(toFloat(weights.biases())));
        }
    }

    private ConvNetwork(NetworkSpec spec, InputShape input, INDArray params) {
        this.spec = spec;
        this.input = input;
        this.stages = stages(LayerShapes.of(spec, input));
        this.params = params;
        this.layers = views(params);
    }

    /** An independent copy, for a model that must not change while training goes on. */
    ConvNetwork copy() {
        return new ConvNetwork(spec, input, params.dup());
    }

    /** A new network with seeded Glorot-uniform weights. */
    static ConvNetwork initialise(NetworkSpec spec, InputShape input, long seed) {
        return new ConvNetwork(spec, input, glorot(spec, input, seed));
    }

    /** A network with the given parameters (as {@link #weights()} gave them). */
    static ConvNetwork of(NetworkSpec spec, InputShape input, List<LayerWeights> weights) {
        return new ConvNetwork(spec, input, weights);
    }

    private static List<Stage> stages(LayerShapes shapes) {
        List<Stage> stages = new ArrayList<>();
        int parameterLayer = 0;
        boolean movedReLU = false;
        for (int i = 0; i < shapes.rows().size(); i++) {
            LayerShapes.Row row = shapes.rows().get(i);
            LayerSpec layer = row.layer();
            boolean nextPools = i + 1 < shapes.rows().size()
                    && shapes.rows().get(i + 1).layer() instanceof LayerSpec.MaxPool2d;
            Activation activation = layer instanceof LayerSpec.Activated activated ? activated.activation()
                    : layer instanceof LayerSpec.MaxPool2d && movedReLU ? Activation.RELU : Activation.LINEAR;
            movedReLU = layer instanceof LayerSpec.Conv2d && nextPools && activation == Activation.RELU;
            stages.add(new Stage(layer, row.in(), row.out(), movedReLU ? Activation.LINEAR : activation,
                    weightShape(layer, row.in()) != null ? parameterLayer++ : -1));
        }
        return List.copyOf(stages);
    }

    /**
     * The shape of a layer's weights, {@code [k, k, in, filters]} for a convolution (Keras's layout)
     * and {@code [inputs, units]} for a Dense layer, or null for a layer without parameters: the
     * last axis is the units (each has a bias), the one before it the input channels.
     */
    private static long[] weightShape(LayerSpec layer, InputShape in) {
        if (layer instanceof LayerSpec.Conv2d conv) {
            return new long[] {conv.kernel(), conv.kernel(), in.channels(), conv.filters()};
        }
        if (layer instanceof LayerSpec.Dense dense) {
            return new long[] {in.size(), dense.units()};
        }
        return null;
    }

    private static long product(long[] shape, int to) {
        long product = 1;
        for (int i = 0; i < to; i++) {
            product *= shape[i];
        }
        return product;
    }

    private long parameterCount() {
        long total = 0;
        for (Stage stage : stages) {
            if (stage.hasParameters()) {
                long[] shape = weightShape(stage.layer(), stage.in());
                total += product(shape, shape.length) + shape[shape.length - 1];
            }
        }
        return total;
    }

    /** Views of a flat parameter-shaped vector (the parameters, a gradient), one per layer with parameters. */
    List<LayerParameters> views(INDArray flat) {
        List<LayerParameters> views = new ArrayList<>();
        long offset = 0;
        for (Stage stage : stages) {
            if (!stage.hasParameters()) {
                continue;
            }
            long[] shape = weightShape(stage.layer(), stage.in());
            long weights = product(shape, shape.length);
            long units = shape[shape.length - 1];
            views.add(new LayerParameters(slice(flat, offset, weights).reshape('c', shape),
                    slice(flat, offset + weights, units)));
            offset += weights + units;
        }
        return views;
    }

    /** Values {@code [from, from + length)} of a flat {@code [1, n]} vector, as a view. */
    static INDArray slice(INDArray flat, long from, long length) {
        return flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(from, from + length));
    }

    List<Stage> stages() {
        return stages;
    }

    InputShape input() {
        return input;
    }

    INDArray params() {
        return params;
    }

    LayerParameters layer(int index) {
        return layers.get(index);
    }

    int outputSize() {
        return spec.output().units();
    }

    Activation outputActivation() {
        return spec.output().activation();
    }

    /**
     * The parameters per layer that has them: a convolution's kernel as {@code [(y·k + x)·in + c][filter]}
     * (Keras's kernel flattened), a Dense layer's as {@code [input][unit]}.
     */
    List<LayerWeights> weights() {
        List<LayerWeights> weights = new ArrayList<>();
        for (LayerParameters layer : layers) {
            long units = layer.biases().length();
            weights.add(new LayerWeights(layer.weights().reshape(layer.weights().length() / units, units)
                    .castTo(DataType.DOUBLE).toDoubleMatrix(),
                    layer.biases().castTo(DataType.DOUBLE).toDoubleVector()));
        }
        return weights;
    }

    /** Glorot-uniform kernels (fan-in and fan-out include the window, as Keras counts them) and zero biases. */
    static List<LayerWeights> glorot(NetworkSpec spec, InputShape input, long seed) {
        Random random = new Random(seed);
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerShapes.Row row : LayerShapes.of(spec, input).rows()) {
            long[] shape = weightShape(row.layer(), row.in());
            if (shape == null) {
                continue;
            }
            double window = product(shape, shape.length - 2); // the receptive field: 1 for a Dense layer
            int units = (int) shape[shape.length - 1];
            int rows = (int) product(shape, shape.length - 1);
            double fanIn = rows;
            double fanOut = window * units;
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

    /**
     * What the network's first layer receives for {@code count} rows, row {@code index(i)} i-th, as
     * one float array: images' grey levels divided by {@link InputShape#MAX_GREY_LEVEL} (the network
     * scales them itself), other values as they are.
     */
    float[] inputs(double[][] rows, java.util.function.IntUnaryOperator index, int count) {
        return gather(rows, index, count, input.isImage() ? 1f / InputShape.MAX_GREY_LEVEL : 1f);
    }

    /** Rows {@code index(0)…index(count − 1)} of doubles as one float array, each value times {@code scale}. */
    static float[] gather(double[][] rows, java.util.function.IntUnaryOperator index, int count, float scale) {
        int width = rows[index.applyAsInt(0)].length;
        float[] out = new float[count * width];
        for (int i = 0; i < count; i++) {
            double[] row = rows[index.applyAsInt(i)];
            for (int c = 0; c < width; c++) {
                out[i * width + c] = (float) row[c] * scale;
            }
        }
        return out;
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
