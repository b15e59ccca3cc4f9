package sinapsis.training.nd4j;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import sinapsis.model.Activation;
import sinapsis.model.LossKind;
import sinapsis.model.OptimizerKind;

/** Maps the user's choices to ND4J's classes, with Keras's default constants where they differ. */
public final class Nd4jMapping {
    /** Keras {@code LeakyReLU} default slope. */
    static final double LEAKY_RELU_ALPHA = 0.3;
    /** Keras {@code Huber} default delta. */
    static final double HUBER_DELTA = 1.0;

    private Nd4jMapping() {
    }

    public static IActivation activation(Activation activation) {
        return switch (activation) {
            case LINEAR -> new ActivationIdentity();
            case RELU -> new ActivationReLU();
            case LEAKY_RELU -> new ActivationLReLU(LEAKY_RELU_ALPHA);
            case TANH -> new ActivationTanH();
            case SIGMOID -> new ActivationSigmoid();
            case SOFTMAX -> new ActivationSoftmax();
        };
    }

    /** Cross-entropy is binary for a single output unit, categorical otherwise. */
    public static ILossFunction loss(LossKind loss, int outputUnits) {
        return switch (loss) {
            case MSE -> new LossMSE();
            case MAE -> new LossMAE();
            case HUBER -> new LossHuber(HUBER_DELTA);
            case CROSSENTROPY -> outputUnits == 1 ? new LossBinaryXENT() : new LossMCXENT();
        };
    }

    public static IUpdater updater(OptimizerKind optimizer, double learningRate) {
        return switch (optimizer) {
            case SGD -> new Sgd(learningRate);
            case MOMENTUM -> new Nesterovs(learningRate, 0.9);
            case ADAM -> new Adam(learningRate);
            // Keras's RMSprop decays with rho = 0.9 (ND4J's default is 0.95).
            case RMSPROP -> new RmsProp(learningRate, 0.9, RmsProp.DEFAULT_RMSPROP_EPSILON);
        };
    }
}
