package sinapsis.model;

/**
 * How to train: loss, optimizer and its learning rate, epochs, batch size (0 = the whole data set),
 * shuffling, seed, the fraction held out for validation (the last rows, as Keras does), whether to
 * standardise inputs and regression targets, early stopping (null: none), and the task when the
 * person chose it (see {@link Task}; {@code AUTO} when not given).
 */
public record TrainingSpec(LossKind loss, OptimizerKind optimizer, double learningRate, int epochs, int batchSize,
                           boolean shuffle, long seed, double validationSplit, boolean standardize,
                           EarlyStopping earlyStopping, Task task) {
    public static final int MAX_BATCH_SIZE = 1_000_000;

    public TrainingSpec {
        task = task == null ? Task.AUTO : task;
        Checks.required("training.loss", loss);
        Checks.required("training.optimizer", optimizer);
        Checks.positiveFinite("training.learningRate", learningRate);
        if (learningRate > 10) {
            throw new InvalidSpecException("training.learningRate", "error.learningRateTooLarge", learningRate, 10);
        }
        if (epochs <= 0) {
            throw new InvalidSpecException("training.epochs", "error.positive", epochs);
        }
        Checks.intBetween("training.batchSize", batchSize, 0, MAX_BATCH_SIZE);
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new InvalidSpecException("training.validationSplit", "error.validationSplit", validationSplit);
        }
        if (earlyStopping != null && earlyStopping.monitor() == EarlyStopping.Monitor.VAL_LOSS
                && validationSplit == 0) {
            throw new InvalidSpecException("training.earlyStopping.monitor", "error.monitorNeedsValidation");
        }
        if (task == Task.REGRESSION && loss.isClassification()) {
            throw new InvalidSpecException("training.loss", "error.taskLoss", task.id(), loss.id());
        }
        if (task == Task.CLASSIFICATION && !loss.isClassification()) {
            throw new InvalidSpecException("training.loss", "error.taskLoss", task.id(), loss.id());
        }
    }

    /** Settings whose task follows the loss and the data. */
    public TrainingSpec(LossKind loss, OptimizerKind optimizer, double learningRate, int epochs, int batchSize,
                        boolean shuffle, long seed, double validationSplit, boolean standardize,
                        EarlyStopping earlyStopping) {
        this(loss, optimizer, learningRate, epochs, batchSize, shuffle, seed, validationSplit, standardize,
                earlyStopping, Task.AUTO);
    }

    /** Settings without early stopping. */
    public TrainingSpec(LossKind loss, OptimizerKind optimizer, double learningRate, int epochs, int batchSize,
                        boolean shuffle, long seed, double validationSplit, boolean standardize) {
        this(loss, optimizer, learningRate, epochs, batchSize, shuffle, seed, validationSplit, standardize, null);
    }

    /** The settings the course starts with: MSE, Adam 0.1, 1000 epochs, whole data set, seed 42. */
    public static TrainingSpec defaults() {
        return new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.1, 1000, 0, true, 42, 0.0, false);
    }

    public TrainingSpec withEpochs(int newEpochs) {
        return new TrainingSpec(loss, optimizer, learningRate, newEpochs, batchSize, shuffle, seed, validationSplit,
                standardize, earlyStopping, task);
    }
}
