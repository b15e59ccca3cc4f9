package sinapsis.training.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A trained {@link DenseNetwork}, a frozen copy: predicting allocates its own arrays, so calls may overlap. */
final class DenseModel extends FrozenModel {
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
        INDArray activation = DenseNetwork.matrix(inputs, network.size(0));
        for (int l = 0; l < network.layerCount(); l++) {
            INDArray withOnes = Nd4j.hstack(activation, Nd4j.ones(DenseNetwork.DTYPE, inputs.length, 1));
            activation = network.activation(l).getActivation(withOnes.mmul(network.layer(l)), false);
        }
        return activation.castTo(DataType.DOUBLE).toDoubleMatrix();
    }
}
