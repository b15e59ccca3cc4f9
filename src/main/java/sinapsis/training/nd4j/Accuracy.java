package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Counts correct predictions from the output layer's pre-activation: softmax and sigmoid are
 * monotonic, so the largest pre-activation (or its sign, for one sigmoid unit) decides the class.
 */
final class Accuracy {
    private final boolean binary;

    Accuracy(int outputs) {
        this.binary = outputs == 1;
    }

    long correct(INDArray preOutput, INDArray labels) {
        if (binary) {
            return preOutput.gt(0).eq(labels.gt(0.5)).castTo(DenseNetwork.DTYPE).sumNumber().longValue();
        }
        return preOutput.argMax(1).eq(labels.argMax(1)).castTo(DenseNetwork.DTYPE).sumNumber().longValue();
    }
}
