package sinapsis.model;

/**
 * Server-wide limits that protect a shared server from one request or one client. Configured by
 * environment ({@code SINAPSIS_MAX_PASTE_BYTES}, …: see {@code sinapsis.Config}); a request over a limit is refused with a 4xx
 * naming it and its value. Besides sizes: sessions (and searches, forks) one client may create per
 * minute, runs waiting in the queue in all, per student of a class the sessions they may make,
 * the runs they may have training at once and waiting in the queue; the runs one client (a student,
 * or an address) may have training or waiting at once; the database space the sessions of one
 * class (or of one address) may take; and the memory one training run's batch may take
 * ({@code SINAPSIS_MAX_BATCH_MB}).
 */
public record Limits(int maxPasteBytes, int maxRows, int maxColumns, long maxParameters, int maxEpochs,
                     int maxCreatedPerMinute, int maxQueued, int maxSessionsPerStudent, int maxRunningPerStudent,
                     int maxQueuedPerStudent, int maxBatchMegabytes, int maxRunsPerClient, int maxSpaceMegabytes) {
    /**
     * Bytes a training batch holds per value a layer outputs for one example: a float forward, and
     * about as much again for its activation and for its gradient backward.
     */
    static final long TRAINING_BYTES_PER_VALUE = 3L * Float.BYTES;
    /**
     * A Dense network's batch, per value a layer outputs for one example: its pre-activation and
     * activation forward, its error and delta backward (see the trainer's batch pass).
     */
    static final long DENSE_TRAINING_BYTES_PER_VALUE = 4L * Float.BYTES;
    /** A Dense network's validation pass: pre-activation and activation only. */
    static final long DENSE_FORWARD_BYTES_PER_VALUE = 2L * Float.BYTES;
    /** Weights, their gradient and up to two arrays of optimizer state (Adam's moments). */
    static final long PARAMETER_COPIES = 4;
    /**
     * The most parts an image network's batch is cut into to run on several cores; each part has a
     * gradient of its own (the trainer's batch parts).
     */
    public static final int MAX_BATCH_PARTS = 8;
    /** Validation rows a Dense network evaluates in one pass when its batch is smaller. */
    public static final int VALIDATION_ROWS_AT_ONCE = 1024;
    private static final long MEGABYTE = 1024L * 1024;

    public Limits {
        Checks.intBetween("maxPasteBytes", maxPasteBytes, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxRows", maxRows, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxColumns", maxColumns, 2, Integer.MAX_VALUE);
        if (maxParameters < 1) {
            throw new InvalidSpecException("maxParameters", "error.positive", maxParameters);
        }
        Checks.intBetween("maxEpochs", maxEpochs, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxCreatedPerMinute", maxCreatedPerMinute, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxQueued", maxQueued, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxSessionsPerStudent", maxSessionsPerStudent, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxRunningPerStudent", maxRunningPerStudent, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxQueuedPerStudent", maxQueuedPerStudent, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxBatchMegabytes", maxBatchMegabytes, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxRunsPerClient", maxRunsPerClient, 1, Integer.MAX_VALUE);
        Checks.intBetween("maxSpaceMegabytes", maxSpaceMegabytes, 1, Integer.MAX_VALUE);
    }

    /** Size limits only; the per-client and per-student ones at their defaults. */
    public Limits(int maxPasteBytes, int maxRows, int maxColumns, long maxParameters, int maxEpochs) {
        this(maxPasteBytes, maxRows, maxColumns, maxParameters, maxEpochs, 60, 500, 50, 1, 3, 256, 4, 500);
    }

    /** The same limits with another number of creations allowed per client and minute. */
    public Limits withMaxCreatedPerMinute(int perMinute) {
        return new Limits(maxPasteBytes, maxRows, maxColumns, maxParameters, maxEpochs, perMinute, maxQueued,
                maxSessionsPerStudent, maxRunningPerStudent, maxQueuedPerStudent, maxBatchMegabytes, maxRunsPerClient,
                maxSpaceMegabytes);
    }

    /** The same limits with another number of runs one client may have training or waiting at once. */
    public Limits withMaxRunsPerClient(int runs) {
        return new Limits(maxPasteBytes, maxRows, maxColumns, maxParameters, maxEpochs, maxCreatedPerMinute,
                maxQueued, maxSessionsPerStudent, maxRunningPerStudent, maxQueuedPerStudent, maxBatchMegabytes, runs,
                maxSpaceMegabytes);
    }

    /** The same limits with another database space per class or client. */
    public Limits withMaxSpaceMegabytes(int megabytes) {
        return new Limits(maxPasteBytes, maxRows, maxColumns, maxParameters, maxEpochs, maxCreatedPerMinute,
                maxQueued, maxSessionsPerStudent, maxRunningPerStudent, maxQueuedPerStudent, maxBatchMegabytes,
                maxRunsPerClient, megabytes);
    }

    public static Limits defaults() {
        return new Limits(10 * 1024 * 1024, 100_000, 1_000, 1_000_000, 100_000);
    }

    /** Refuses a spec that is valid on its own but too large for this server. */
    public void check(NetworkSpec network, TrainingSpec training, int inputs) {
        check(network, training, InputShape.flat(inputs));
    }

    /** Refuses a spec that is valid on its own but too large for this server (or that does not fit its input). */
    public void check(NetworkSpec network, TrainingSpec training, InputShape input) {
        if (training.epochs() > maxEpochs) {
            throw new InvalidSpecException("training.epochs", "error.limit", training.epochs(), maxEpochs);
        }
        long parameters = network.parameterCount(input);
        if (parameters > maxParameters) {
            throw new InvalidSpecException("network.layers", "error.tooManyParameters", parameters, maxParameters);
        }
    }

    /**
     * How many validation rows a Dense network evaluates in one pass: all of them when they are no
     * more than the training batch (or {@value #VALIDATION_ROWS_AT_ONCE}), else chunks of that many,
     * so validation never holds more than a training batch does.
     */
    public static int validationChunk(int batchRows, int validationRows) {
        return Math.max(1, Math.min(validationRows, Math.max(batchRows, VALIDATION_ROWS_AT_ONCE)));
    }

    /**
     * Refuses a run whose training would take more memory than this server allows, estimated before
     * it starts (ND4J's native memory is not bounded by the JVM's flags). An image network: its
     * batch's activations and gradients, its parameters with their gradient, optimizer state and the
     * gradients of the batch's parts. A Dense network: the batch's activations and gradients,
     * the validation pass, the parameters with their gradient and optimizer state, and the data on
     * the device. Batch size 0 (the whole set) of a wide network or of large images holds
     * gigabytes; the message names the largest batch that fits.
     */
    public void checkBatch(NetworkSpec network, TrainingSpec training, InputShape input, int trainRows) {
        checkBatch(network, training, input, trainRows, 0);
    }

    /** As {@link #checkBatch(NetworkSpec, TrainingSpec, InputShape, int)}, with the validation rows a Dense run evaluates. */
    public void checkBatch(NetworkSpec network, TrainingSpec training, InputShape input, int trainRows,
                           int validationRows) {
        long batch = training.batchSize() <= 0 ? trainRows : Math.min(training.batchSize(), trainRows);
        LayerShapes shapes = LayerShapes.of(network, input);
        long budget = maxBatchMegabytes * MEGABYTE;
        if (network.hasImageLayers()) {
            long perExample = TRAINING_BYTES_PER_VALUE * shapes.valuesPerExample();
            long parameters = shapes.totalParameters() * (PARAMETER_COPIES + MAX_BATCH_PARTS) * Float.BYTES;
            refuseOver(batch, batch * perExample + parameters, perExample, budget - parameters);
            return;
        }
        long perExample = DENSE_TRAINING_BYTES_PER_VALUE * shapes.valuesPerExample();
        long validationPerRow = DENSE_FORWARD_BYTES_PER_VALUE * shapes.valuesPerExample();
        long fixed = shapes.totalParameters() * PARAMETER_COPIES * Float.BYTES
                + (long) (trainRows + validationRows) * (input.size() + 1 + shapes.output().size()) * Float.BYTES;
        long bytes = denseBytes(batch, trainRows, validationRows, perExample, validationPerRow, fixed);
        long megabytes = (bytes + MEGABYTE - 1) / MEGABYTE;
        if (megabytes <= maxBatchMegabytes) {
            return;
        }
        // the largest batch that fits: no batch above (budget - fixed) / perExample can; below it, the
        // shorter last batch makes the bytes go up and down, so each size is tried (cheap arithmetic)
        long largest = Math.min(batch - 1, Math.max(0, (budget - fixed) / perExample));
        while (largest > 0 && denseBytes(largest, trainRows, validationRows, perExample, validationPerRow, fixed)
                > budget) {
            largest--;
        }
        if (largest < 1) {
            throw new InvalidSpecException("network.layers", "error.networkMemory", megabytes, maxBatchMegabytes);
        }
        throw new InvalidSpecException("training.batchSize", "error.denseBatchMemory", batch, megabytes,
                maxBatchMegabytes, largest);
    }

    /**
     * A Dense run's memory at batch size {@code batch}: a prepared pass for full batches and one for
     * the shorter last batch (the trainer keeps one per size), the validation pass, and {@code fixed}.
     */
    private static long denseBytes(long batch, long trainRows, long validationRows, long perExample,
                                   long validationPerRow, long fixed) {
        long lastBatch = batch >= trainRows ? 0 : trainRows % batch;
        return (batch + lastBatch) * perExample
                + validationPerRow * validationChunk((int) batch, (int) validationRows) + fixed;
    }

    private void refuseOver(long batch, long bytes, long perExample, long budget) {
        long megabytes = (bytes + MEGABYTE - 1) / MEGABYTE;
        if (megabytes > maxBatchMegabytes) {
            throw new InvalidSpecException("training.batchSize", "error.batchMemory", batch, megabytes,
                    maxBatchMegabytes, Math.max(1, budget / perExample));
        }
    }
}
