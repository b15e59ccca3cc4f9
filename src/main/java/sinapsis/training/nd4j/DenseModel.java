package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A trained {@link DenseNetwork}, a frozen copy: predicting allocates its own arrays, so calls may overlap. */
final class DenseModel extends FrozenModel {
    /** Rows per forward pass when predicting. */
    static final int CHUNK = 256;
    private final DenseNetwork network;

    DenseModel(DenseNetwork network) {
        super(network.weights());
        this.network = network;
    }

    @Override
    public double[][] predict(double[][] inputs) {
        if (inputs.length == 0) {
            return new double[0][];
        }
        return forward(inputs, null);
    }

    @Override
    public List<double[][]> hiddenActivations(double[][] inputs) {
        List<double[][]> hidden = new ArrayList<>();
        if (inputs.length > 0) {
            forward(inputs, hidden);
        }
        return hidden;
    }

    /**
     * The output layer's values; each hidden layer's added to {@code hidden} when given. Rows go
     * through in chunks of {@value #CHUNK} (the last one padded): a row's result then never depends
     * on how many rows came with it — libnd4j's kernels take other paths for other shapes, which
     * moves float results by an ulp — so a surface's cell is exactly the prediction at its point.
     */
    private double[][] forward(double[][] inputs, List<double[][]> hidden) {
        int rows = inputs.length;
        double[][] outputs = new double[rows][];
        List<double[][]> layers = new ArrayList<>();
        for (int l = 0; hidden != null && l + 1 < network.layerCount(); l++) {
            layers.add(new double[rows][]);
        }
        for (int from = 0; from < rows; from += CHUNK) {
            int count = Math.min(CHUNK, rows - from);
            double[][] chunk = new double[CHUNK][];
            for (int r = 0; r < CHUNK; r++) {
                chunk[r] = r < count ? inputs[from + r] : new double[network.size(0)];
            }
            INDArray activation = DenseNetwork.matrix(chunk, network.size(0));
            for (int l = 0; l < network.layerCount(); l++) {
                INDArray withOnes = Nd4j.hstack(activation, Nd4j.ones(DenseNetwork.DTYPE, CHUNK, 1));
                activation = network.activation(l).getActivation(withOnes.mmul(network.layer(l)), false);
                if (hidden != null && l + 1 < network.layerCount()) {
                    System.arraycopy(activation.castTo(DataType.DOUBLE).toDoubleMatrix(), 0, layers.get(l), from, count);
                }
            }
            System.arraycopy(activation.castTo(DataType.DOUBLE).toDoubleMatrix(), 0, outputs, from, count);
        }
        if (hidden != null) {
            hidden.addAll(layers);
        }
        return outputs;
    }
}
