package sinapsis.training;

import java.util.Arrays;
import sinapsis.data.Problem;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * A problem prepared for training: the validation rows held out (the last ones before the test
 * split, as Keras's {@code validation_split} does) and, if asked, inputs and regression targets
 * standardised with statistics of the training rows (image networks scale their grey levels
 * themselves, see {@link sinapsis.model.InputShape}, so image rows are passed on as they are, shared,
 * not copied). It maps predictions back to original units.
 */
public final class Experiment {
    private final Problem problem;
    private final NetworkSpec network;
    private final TrainingSpec training;
    private final int trainRows;
    private final Scaler inputScaler;
    private final Scaler targetScaler;

    public Experiment(Problem problem, NetworkSpec network, TrainingSpec training) {
        this(problem, network, training, (int) Math.floor(problem.fitRows() * training.validationSplit()));
    }

    /**
     * An experiment that holds out exactly the last {@code validationRows} rows (a fold of a
     * cross-validation, placed last), whatever the settings' validation split says.
     */
    public Experiment(Problem problem, NetworkSpec network, TrainingSpec training, int validationRows) {
        this.problem = problem;
        this.network = network;
        this.training = training;
        this.trainRows = problem.fitRows() - validationRows;
        if (trainRows < 1) {
            throw new sinapsis.model.InvalidSpecException("training.validationSplit", "error.noTrainingRows",
                    training.validationSplit(), problem.rows());
        }
        double[][] xTrain = Arrays.copyOf(problem.x(), trainRows);
        double[][] yTrain = Arrays.copyOf(problem.y(), trainRows);
        this.inputScaler = training.standardize() && !problem.inputShape().isImage() ? Scaler.fit(xTrain)
                : Scaler.identity(problem.inputCount());
        this.targetScaler = training.standardize() && !problem.isClassification()
                ? Scaler.fit(yTrain) : Scaler.identity(problem.outputCount());
    }

    public Problem problem() {
        return problem;
    }

    public NetworkSpec network() {
        return network;
    }

    public TrainingSpec training() {
        return training;
    }

    public int trainRows() {
        return trainRows;
    }

    public Scaler inputScaler() {
        return inputScaler;
    }

    public Scaler targetScaler() {
        return targetScaler;
    }

    public TrainingJob job() {
        int rows = problem.fitRows();
        double[][] x = inputScaler.transform(Arrays.copyOf(problem.x(), rows));
        double[][] y = targetScaler.transform(Arrays.copyOf(problem.y(), rows));
        return new TrainingJob(network, training,
                Arrays.copyOfRange(x, 0, trainRows), Arrays.copyOfRange(y, 0, trainRows),
                Arrays.copyOfRange(x, trainRows, rows), Arrays.copyOfRange(y, trainRows, rows),
                problem.isClassification(), problem.inputShape());
    }

    /** Predictions in original units for inputs in original units (the raw columns, or with the derived ones too). */
    public double[][] predict(TrainedModel model, double[][] inputs) {
        return targetScaler.inverse(model.predict(networkInputs(inputs)));
    }

    /** Inputs in original units as the network takes them: derived inputs added, standardised if the run is. */
    public double[][] networkInputs(double[][] inputs) {
        return inputScaler.transform(problem.expand(inputs));
    }
}
