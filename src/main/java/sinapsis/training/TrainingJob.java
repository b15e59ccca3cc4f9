package sinapsis.training;

import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * What a trainer gets: the network, the settings and the (already scaled) numbers. {@code xVal}
 * and {@code yVal} have zero rows when there is no validation split.
 */
public record TrainingJob(NetworkSpec network, TrainingSpec training, double[][] xTrain, double[][] yTrain,
                          double[][] xVal, double[][] yVal, boolean classification) {
    public int inputCount() {
        return xTrain[0].length;
    }

    public boolean hasValidation() {
        return xVal.length > 0;
    }
}
