package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Counts correct predictions of a batch, as Keras's {@code accuracy} metric does. */
final class Accuracy {
    private Accuracy() {
    }

    /** From the output layer's pre-activation: softmax and sigmoid keep the order, so the largest (or the sign) decides. */
    static long correctOfPreActivation(INDArray preActivation, INDArray labels) {
        if (preActivation.size(1) == 1) {
            return preActivation.gt(0).eq(labels.gt(0.5)).castTo(DenseNetwork.DTYPE).sumNumber().longValue();
        }
        return correct(preActivation, labels);
    }

    /** From probabilities: the most probable class, or for one unit, class 1 above one half. */
    static long correct(INDArray probabilities, INDArray labels) {
        if (probabilities.size(1) == 1) {
            return probabilities.gt(0.5).eq(labels.gt(0.5)).castTo(DenseNetwork.DTYPE).sumNumber().longValue();
        }
        return probabilities.argMax(1).eq(labels.argMax(1)).castTo(DenseNetwork.DTYPE).sumNumber().longValue();
    }
}
