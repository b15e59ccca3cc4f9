package sinapsis.training.nd4j;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;

/** A trained network's frozen copy; predicting allocates its own buffers, so calls may overlap. */
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
        Activations pass = new Activations(network, inputs.length,
                DenseNetwork.withBiasColumn(inputs, network.size(0)), null);
        INDArray preOutput = pass.forward(network);
        INDArray output = network.activation(network.layerCount() - 1).getActivation(preOutput.dup(), false);
        return output.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
    }

    @Override
    public List<LayerWeights> weights() {
        return weights;
    }
}
