package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A trained {@link DenseNetwork}, a frozen copy: predicting allocates its own arrays, so calls may overlap. */
final class DenseModel extends FrozenModel {
    /**
     * Rows per forward pass when predicting: a 64 × 64 surface in one pass (the fixed cost of a
     * pass, about 2 ms here, is what counts on these networks, not its rows).
     */
    static final int CHUNK = 4096;
    private final DenseNetwork network;
    /** Each layer's weights, contiguous, and its bias row: a product and a broadcast add a layer. */
    private final INDArray[] weights;
    private final INDArray[] biases;

    DenseModel(DenseNetwork network) {
        super(network::weights);
        this.network = network;
        this.weights = new INDArray[network.layerCount()];
        this.biases = new INDArray[network.layerCount()];
        for (int l = 0; l < network.layerCount(); l++) {
            INDArray layer = network.layer(l);
            int inputs = (int) layer.rows() - 1;
            weights[l] = layer.get(NDArrayIndex.interval(0, inputs), NDArrayIndex.all()).dup('f');
            biases[l] = layer.getRow(inputs).dup();
        }
    }

    @Override
    public double[][] predict(double[][] inputs) {
        if (inputs.length == 0) {
            return new double[0][];
        }
        return forward(inputs, null, CHUNK);
    }

    @Override
    public List<double[][]> hiddenActivations(double[][] inputs) {
        List<double[][]> hidden = new ArrayList<>();
        if (inputs.length > 0) {
            forward(inputs, hidden, Math.min(inputs.length, CHUNK)); // no padding: these need not match predict's rows
        }
        return hidden;
    }

    /**
     * The output layer's values; each hidden layer's added to {@code hidden} when given. Rows go
     * through in chunks of {@code chunkRows}, the last one padded. Predictions use {@value #CHUNK}:
     * a row's result then never depends on how many rows came with it — libnd4j's kernels take other
     * paths for other shapes, which moves float results by an ulp — so a surface's cell is exactly
     * the prediction at its point.
     */
    private double[][] forward(double[][] inputs, List<double[][]> hidden, int chunkRows) {
        Nd4jBackend.forDenseWork();
        int rows = inputs.length;
        double[][] outputs = new double[rows][];
        List<double[][]> layers = new ArrayList<>();
        for (int l = 0; hidden != null && l + 1 < network.layerCount(); l++) {
            layers.add(new double[rows][]);
        }
        for (int from = 0; from < rows; from += chunkRows) {
            int count = Math.min(chunkRows, rows - from);
            double[][] chunk = new double[chunkRows][];
            for (int r = 0; r < chunkRows; r++) {
                chunk[r] = r < count ? inputs[from + r] : new double[network.size(0)];
            }
            INDArray activation = DenseNetwork.matrix(chunk, network.size(0));
            for (int l = 0; l < network.layerCount(); l++) {
                activation = network.activation(l).getActivation(activation.mmul(weights[l]).addiRowVector(biases[l]),
                        false);
                if (hidden != null && l + 1 < network.layerCount()) {
                    copyRows(activation, count, layers.get(l), from);
                }
            }
            copyRows(activation, count, outputs, from);
        }
        if (hidden != null) {
            hidden.addAll(layers);
        }
        return outputs;
    }

    /** The first {@code count} rows of {@code matrix} into {@code into[at…]}: one copy out of the device, not a read per value. */
    private static void copyRows(INDArray matrix, int count, double[][] into, int at) {
        int columns = (int) matrix.columns();
        float[] values = matrix.dup('c').data().asFloat();
        for (int r = 0; r < count; r++) {
            double[] row = new double[columns];
            for (int c = 0; c < columns; c++) {
                row[c] = values[r * columns + c];
            }
            into[at + r] = row;
        }
    }
}
