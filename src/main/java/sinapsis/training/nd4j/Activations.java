package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reusable buffers for one batch size: the input of every layer (extended by the column of ones),
 * the pre-activations, and the back-propagated errors. Allocated once, reused every epoch.
 */
final class Activations {
    final int rows;
    final INDArray[] inputs;
    final INDArray[] preOutputs;
    final INDArray[] errors;
    final INDArray labels;
    /** {@code activated[l]}: the first columns of {@code inputs[l]}, where layer {@code l - 1} writes its output. */
    private final INDArray[] activated;

    Activations(DenseNetwork network, int rows, INDArray firstInput, INDArray labels) {
        this.rows = rows;
        int layers = network.layerCount();
        inputs = new INDArray[layers];
        preOutputs = new INDArray[layers];
        errors = new INDArray[layers];
        activated = new INDArray[layers];
        inputs[0] = firstInput != null ? firstInput : buffer(rows, network.size(0) + 1);
        for (int l = 0; l < layers; l++) {
            preOutputs[l] = buffer(rows, network.size(l + 1));
            if (l > 0) {
                inputs[l] = buffer(rows, network.size(l) + 1);
                inputs[l].getColumn(network.size(l)).assign(1);
                activated[l] = inputs[l].get(NDArrayIndex.all(), NDArrayIndex.interval(0, network.size(l)));
                errors[l] = buffer(rows, network.size(l));
            }
        }
        this.labels = labels != null ? labels : buffer(rows, network.outputSize());
    }

    private static INDArray buffer(long rows, long columns) {
        return Nd4j.create(DenseNetwork.DTYPE, new long[] {rows, columns}, 'f');
    }

    /** Runs the network forward; returns the output layer's pre-activation (its activation is left to the loss). */
    INDArray forward(DenseNetwork network) {
        int last = network.layerCount() - 1;
        for (int l = 0; l <= last; l++) {
            Nd4j.gemm(inputs[l], network.layer(l), preOutputs[l], false, false, 1.0, 0.0);
            if (l < last) {
                INDArray next = activated[l + 1];
                next.assign(preOutputs[l]);
                INDArray activated = network.activation(l).getActivation(next, true);
                if (activated != next) {
                    next.assign(activated);
                }
            }
        }
        return preOutputs[last];
    }
}
