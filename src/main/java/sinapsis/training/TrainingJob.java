package sinapsis.training;

import sinapsis.model.InputShape;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * What a trainer gets: the network, the settings, the (already scaled) numbers and how a row is
 * laid out. {@code xVal} and {@code yVal} have zero rows when there is no validation split.
 */
public record TrainingJob(NetworkSpec network, TrainingSpec training, double[][] xTrain, double[][] yTrain,
                          double[][] xVal, double[][] yVal, boolean classification, InputShape inputShape) {
    public TrainingJob(NetworkSpec network, TrainingSpec training, double[][] xTrain, double[][] yTrain,
                       double[][] xVal, double[][] yVal, boolean classification) {
        this(network, training, xTrain, yTrain, xVal, yVal, classification, InputShape.flat(xTrain[0].length));
    }

    public int inputCount() {
        return xTrain[0].length;
    }

    public boolean hasValidation() {
        return xVal.length > 0;
    }
}
