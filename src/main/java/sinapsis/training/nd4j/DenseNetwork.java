package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.training.LayerWeights;

/**
 * The parameters and shape of a Dense network. All parameters live in one flat row vector, so an
 * updater touches them in one operation. Layer {@code l} is a {@code (inputs + 1) × units} view
 * whose last row holds the biases: a layer is then a single matrix product of its input, extended
 * by a column of ones, with that view (the same trick gives weight and bias gradients in one
 * product).
 */
final class DenseNetwork {
    static final DataType DTYPE = DataType.FLOAT;

    private final int[] sizes;
    private final IActivation[] activations;
    private final Activation[] activationKinds;
    private final INDArray params;
    private final INDArray[] layers;

    DenseNetwork(int[] sizes, Activation[] activationKinds, INDArray params) {
        this.sizes = sizes.clone();
        this.activationKinds = activationKinds.clone();
        this.activations = new IActivation[activationKinds.length];
        for (int l = 0; l < activationKinds.length; l++) {
            activations[l] = Nd4jMapping.activation(activationKinds[l]);
        }
        this.params = params;
        this.layers = layerViews(params);
    }

    /** A new network with Glorot-uniform weights (Keras's default) and zero biases, drawn from {@code seed}. */
    static DenseNetwork initialise(NetworkSpec spec, int inputs, long seed) {
        int[] sizes = sizes(spec, inputs);
        Activation[] activations = activations(spec);
        float[] flat = new float[(int) parameterCount(sizes)];
        Random random = new Random(seed);
        int offset = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            double limit = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
            int weights = sizes[l] * sizes[l + 1];
            for (int i = 0; i < weights; i++) {
                flat[offset + i] = (float) ((random.nextDouble() * 2 - 1) * limit);
            }
            offset += weights + sizes[l + 1];
        }
        return new DenseNetwork(sizes, activations, Nd4j.createFromArray(flat).reshape(1, flat.length));
    }

    /** A network holding stored parameters (one {@link LayerWeights} per layer, biases as the last row). */
    static DenseNetwork of(NetworkSpec spec, int inputs, List<LayerWeights> weights) {
        requireOnePerLayer(spec, weights);
        int[] sizes = sizes(spec, inputs);
        Activation[] activations = activations(spec);
        float[] flat = new float[(int) parameterCount(sizes)];
        int offset = 0;
        for (int l = 0; l < weights.size(); l++) {
            LayerWeights layer = weights.get(l);
            int rows = sizes[l] + 1;
            int units = sizes[l + 1];
            if (layer.weights().length != sizes[l] || layer.biases().length != units) {
                throw new IllegalArgumentException("layer " + l + " has the wrong shape");
            }
            // the layer view is (inputs + 1) × units, row by row, the bias row last (see layerViews)
            for (int i = 0; i < rows; i++) {
                double[] row = i < sizes[l] ? layer.weights()[i] : layer.biases();
                for (int u = 0; u < units; u++) {
                    flat[offset + i * units + u] = (float) row[u];
                }
            }
            offset += rows * units;
        }
        return new DenseNetwork(sizes, activations, Nd4j.createFromArray(flat).reshape(1, flat.length));
    }

    /** The values each layer receives and gives: {@code inputs}, then every layer's units. */
    private static int[] sizes(NetworkSpec spec, int inputs) {
        List<LayerSpec.Dense> layers = spec.denseLayers();
        int[] sizes = new int[layers.size() + 1];
        sizes[0] = inputs;
        for (int l = 0; l < layers.size(); l++) {
            sizes[l + 1] = layers.get(l).units();
        }
        return sizes;
    }

    private static Activation[] activations(NetworkSpec spec) {
        return spec.denseLayers().stream().map(LayerSpec.Dense::activation).toArray(Activation[]::new);
    }

    /** Stored weights must hold one {@link LayerWeights} per layer of the spec. */
    static void requireOnePerLayer(NetworkSpec spec, List<LayerWeights> weights) {
        if (weights.size() != spec.layers().size()) {
            throw new IllegalArgumentException("weights for " + weights.size() + " layers, the network has "
                    + spec.layers().size());
        }
    }

    static long parameterCount(int[] sizes) {
        long total = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            total += (long) (sizes[l] + 1) * sizes[l + 1];
        }
        return total;
    }

    /** Views of a flat array laid out like the parameters, one {@code (inputs + 1) × units} matrix a layer. */
    INDArray[] layerViews(INDArray flat) {
        INDArray[] views = new INDArray[sizes.length - 1];
        long offset = 0;
        for (int l = 0; l < views.length; l++) {
            long length = (long) (sizes[l] + 1) * sizes[l + 1];
            views[l] = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + length))
                    .reshape('c', sizes[l] + 1, sizes[l + 1]);
            offset += length;
        }
        return views;
    }

    /** Each layer's weights (its bias row left out) in a flat array laid out like the parameters. */
    java.util.List<INDArray> weightViews(INDArray flat) {
        java.util.List<INDArray> views = new ArrayList<>();
        long offset = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            long weights = (long) sizes[l] * sizes[l + 1];
            views.add(flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(offset, offset + weights)));
            offset += weights + sizes[l + 1];
        }
        return views;
    }

    int layerCount() {
        return layers.length;
    }

    int size(int index) {
        return sizes[index];
    }

    int outputSize() {
        return sizes[sizes.length - 1];
    }

    IActivation activation(int layer) {
        return activations[layer];
    }

    Activation activationKind(int layer) {
        return activationKinds[layer];
    }

    INDArray params() {
        return params;
    }

    INDArray layer(int l) {
        return layers[l];
    }

    /** The weights of layer {@code l} without the bias row. */
    INDArray weightsOnly(int l) {
        return layers[l].get(NDArrayIndex.interval(0, sizes[l]), NDArrayIndex.all());
    }

    /** An independent copy, for a model that must not change while training goes on. */
    DenseNetwork copy() {
        return new DenseNetwork(sizes, activationKinds, params.dup());
    }

    /** Adds the column of ones that multiplies the bias row. Column-major, so the other columns are contiguous. */
    static INDArray withBiasColumn(double[][] rows, int columns) {
        return columnMajor(rows, columns, true);
    }

    static INDArray matrix(double[][] rows, int columns) {
        return columnMajor(rows, columns, false);
    }

    private static INDArray columnMajor(double[][] rows, int columns, boolean onesColumn) {
        int width = onesColumn ? columns + 1 : columns;
        float[] data = new float[rows.length * width];
        for (int c = 0; c < columns; c++) {
            for (int r = 0; r < rows.length; r++) {
                data[c * rows.length + r] = (float) rows[r][c];
            }
        }
        if (onesColumn) {
            java.util.Arrays.fill(data, columns * rows.length, data.length, 1f);
        }
        INDArray matrix = Nd4j.createUninitialized(DTYPE, new long[] {rows.length, width}, 'f');
        matrix.data().setData(data);
        return matrix;
    }

    List<LayerWeights> weights() {
        return layersOf(params);
    }

    /** A flat array laid out like the parameters (a gradient, an update), read layer by layer. */
    List<LayerWeights> layersOf(INDArray flat) {
        INDArray[] views = flat == params ? layers : layerViews(flat);
        List<LayerWeights> result = new ArrayList<>();
        for (int l = 0; l < views.length; l++) {
            double[][] all = views[l].toDoubleMatrix();
            double[][] weights = java.util.Arrays.copyOf(all, sizes[l]);
            result.add(new LayerWeights(weights, all[sizes[l]]));
        }
        return result;
    }
}
