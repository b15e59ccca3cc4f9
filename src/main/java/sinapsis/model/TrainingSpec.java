package sinapsis.model;

/**
 * How to train: loss, optimizer and its learning rate, epochs, batch size (0 = the whole data set),
 * shuffling, seed, the fraction held out for validation (the last rows, as Keras does), whether to
 * standardise inputs and regression targets, early stopping (null: none), and the task when the
 * person chose it (see {@link Task}; {@code AUTO} when not given); the pace a run is shown at
 * ({@code pace} epochs per second, 0: as fast as the machine goes); Keras's {@code kernel_regularizer}
 * penalties {@code l1·Σ|w|} and {@code l2·Σw²} on every layer's weights (0: none).
 */
public record TrainingSpec(LossKind loss, OptimizerKind optimizer, double learningRate, int epochs, int batchSize,
                           boolean shuffle, long seed, double validationSplit, boolean standardize,
                           EarlyStopping earlyStopping, Task task, double pace, double l1, double l2) {
    public static final int MAX_BATCH_SIZE = 1_000_000;
    /** The fastest pace one may ask for, in epochs per second (faster is "as fast as it goes", 0). */
    public static final double MAX_PACE = 1000;
    public static final double MAX_PENALTY = 10;

    public TrainingSpec {
        task = task == null ? Task.AUTO : task;
        if (!(pace >= 0 && pace <= MAX_PACE)) {
            throw new InvalidSpecException("training.pace", "error.pace", pace, MAX_PACE);
        }
        Checks.between("training.l1", l1, 0, MAX_PENALTY);
        Checks.between("training.l2", l2, 0, MAX_PENALTY);
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

    /** Settings at full speed without regularisation. */
    public TrainingSpec(LossKind loss, OptimizerKind optimizer, double learningRate, int epochs, int batchSize,
                        boolean shuffle, long seed, double validationSplit, boolean standardize,
                        EarlyStopping earlyStopping, Task task) {
        this(loss, optimizer, learningRate, epochs, batchSize, shuffle, seed, validationSplit, standardize,
                earlyStopping, task, 0, 0, 0);
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
                standardize, earlyStopping, task, pace, l1, l2);
    }

    /** The same settings shown at {@code epochsPerSecond} (0: as fast as it goes). */
    public TrainingSpec withPace(double epochsPerSecond) {
        return new TrainingSpec(loss, optimizer, learningRate, epochs, batchSize, shuffle, seed, validationSplit,
                standardize, earlyStopping, task, epochsPerSecond, l1, l2);
    }

    /** Whether the weights carry a penalty. */
    public boolean regularised() {
        return l1 > 0 || l2 > 0;
    }
}
