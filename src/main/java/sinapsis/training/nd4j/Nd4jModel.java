package sinapsis.training.nd4j;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;

/** A trained network's frozen copy. Predicting allocates its own arrays, so calls may overlap. */
final class Nd4jModel implements TrainedModel {
    private final DenseNetwork network;
    private final List<LayerWeights> weights;

    Nd4jModel(DenseNetwork network) {
        this.network = network;
        this.weights = network.weights();
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

    @Override
    public List<LayerWeights> weights() {
        return weights;
    }
}
