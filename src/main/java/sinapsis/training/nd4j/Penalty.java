package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.L1Regularization;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import sinapsis.model.TrainingSpec;

/**
 * Keras's {@code kernel_regularizer=l1_l2(l1, l2)} on every layer's weights (not its biases), with
 * ND4J's own regularisation classes: the penalty {@code l1·Σ|w| + l2·Σw²} added to the loss the
 * run reports, and its gradient added to the weights' gradient before the updater. ND4J's
 * {@link L2Regularization} penalises {@code ½·c·Σw²}, so Keras's {@code l2} is its {@code c = 2·l2}.
 */
final class Penalty {
    private final List<Regularization> terms = new ArrayList<>();
    private final List<INDArray> weights;
    private final List<INDArray> gradients;
    private final double learningRate;

    private Penalty(TrainingSpec training, List<INDArray> weights, List<INDArray> gradients) {
        if (training.l1() > 0) {
            terms.add(new L1Regularization(training.l1()));
        }
        if (training.l2() > 0) {
            terms.add(new L2Regularization(2 * training.l2()));
        }
        this.weights = weights;
        this.gradients = gradients;
        this.learningRate = training.learningRate();
    }

    /** The run's penalty, or null when it has none. */
    static Penalty of(TrainingSpec training, List<INDArray> weights, List<INDArray> gradients) {
        return training.regularised() ? new Penalty(training, weights, gradients) : null;
    }

    /** The penalty on the weights as they are now. */
    double score(int iteration, int epoch) {
        double total = 0;
        for (Regularization term : terms) {
            for (INDArray layer : weights) {
                total += term.score(layer, iteration, epoch);
            }
        }
        return total;
    }

    /** Adds the penalty's gradient to the weights' gradient (after a backward pass, before the updater). */
    void addGradient(int iteration, int epoch) {
        for (Regularization term : terms) {
            for (int l = 0; l < weights.size(); l++) {
                term.apply(weights.get(l), gradients.get(l), learningRate, iteration, epoch);
            }
        }
    }
}
