package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import sinapsis.model.LossKind;

/**
 * A Dense network's {@link PreparedPass}: one product a layer. Layer inputs carry an extra column
 * of ones so that one product applies weights and biases, and one product gives both their
 * gradients (see {@link DenseNetwork}); buffers are column-major so the other columns stay
 * contiguous. The course's tiny networks spend their time in the cost of each operation (6–40 µs),
 * so fewer operations a layer is what makes them fast.
 */
final class BatchPass extends PreparedPass {
    final INDArray inputs;
    final INDArray labels;

    /**
     * @param inputs   rows × (inputs + 1), last column ones; null to allocate (filled by the caller)
     * @param labels   rows × outputs; null to allocate
     * @param gradient the flat gradient's per-layer views, or null for a pass without backward (validation)
     */
    BatchPass(DenseNetwork network, LossKind lossKind, int rows, INDArray inputs, INDArray labels,
              INDArray[] gradient) {
        super(rows, 'f');
        int layers = network.layerCount();
        this.inputs = inputs != null ? inputs : buffer(rows, network.size(0) + 1);
        this.labels = labels != null ? labels : buffer(rows, network.outputSize());
        INDArray[] layerInputs = new INDArray[layers];
        INDArray[] preOutputs = new INDArray[layers];
        layerInputs[0] = this.inputs;
        for (int l = 0; l < layers; l++) {
            preOutputs[l] = buffer(rows, network.size(l + 1));
            forward(NativeOps.matmul(layerInputs[l], network.layer(l), preOutputs[l], false, false));
            if (l + 1 < layers) {
                layerInputs[l + 1] = buffer(rows, network.size(l + 1) + 1);
                layerInputs[l + 1].getColumn(network.size(l + 1)).assign(1);
                INDArray activated = layerInputs[l + 1].get(NDArrayIndex.all(),
                        NDArrayIndex.interval(0, network.size(l + 1)));
                forward(NativeOps.activation(network.activationKind(l), preOutputs[l], activated));
            }
        }
        INDArray delta = bindOutput(preOutputs[layers - 1], network.activationKind(layers - 1), lossKind,
                this.labels, gradient != null);
        if (gradient == null) {
            return;
        }
        for (int l = layers - 1; l >= 0; l--) {
            backward(NativeOps.matmul(layerInputs[l], delta, gradient[l], true, false));
            if (l > 0) { // the first layer's inputs need no gradient
                INDArray error = buffer(rows, network.size(l));
                INDArray previousDelta = buffer(rows, network.size(l));
                backward(NativeOps.matmul(delta, network.weightsOnly(l), error, false, true));
                backward(NativeOps.activationBackprop(network.activationKind(l - 1), preOutputs[l - 1], error,
                        previousDelta));
                delta = previousDelta;
            }
        }
    }
}
