package sinapsis.training.nd4j;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.OptimizerKind;
import sinapsis.training.BatchProgress;
import sinapsis.training.Checkpoint;
import sinapsis.training.EpochStats;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/**
 * The one epoch loop, for Dense and image networks alike (as Tribuo's SGD trainers share one):
 * each epoch the training rows in a seeded order, batch by batch a prepared forward pass (whose
 * loss and accuracy are what the epoch reports, as Keras does), its backward pass and ND4J's
 * updater on the one flat gradient; progress now and then within a long epoch; validation after
 * the epoch; early stopping; a stop asked for is honoured before the next batch. What differs
 * between network kinds — how a batch gets into a prepared pass — is a {@link Passes}.
 */
final class EpochLoop implements AutoCloseable {
    /** A forward and backward pass prepared for one batch size ({@link BatchPass}, {@link ConvPass}). */
    interface Prepared {
        /** Runs the forward pass; the batch's mean loss. */
        double forwardAndLoss();

        /** Runs the backward pass, writing the flat gradient (training passes only). */
        void backward();

        /**
         * Whether the end of {@link #backward} is element-wise work on the flat gradient that
         * {@link #backwardSlice} does a slice at a time, cut into the {@code slices} the
         * optimizer's step is ({@link Passes#updateSlices}), the rest done by the forward pass:
         * the loop then runs each slice's part of it and that slice's step together, in one
         * hand-over.
         */
        default boolean backsBySlice(int slices) {
            return false;
        }

        /** Slice {@code s}'s part of the backward pass (see {@link #backsBySlice}). */
        default void backwardSlice(int s) {
            throw new UnsupportedOperationException("this pass's backward pass is not cut in slices");
        }

        int rows();

        /** The output layer's values before its activation, as the last forward pass left them. */
        float[] scores();

        /** Whether {@link #scores()} are stored column by column (row by row otherwise). */
        boolean columnMajor();
    }

    /** A prepared pass and which rows of the data it holds now: {@code order[from + r]}, or {@code from + r}. */
    static final class Pass {
        private final Prepared prepared;
        private int[] order;
        private int from;

        Pass(Prepared prepared) {
            this.prepared = prepared;
        }

        Prepared prepared() {
            return prepared;
        }

        /** Says which rows it now holds (the caller has filled them in). */
        Pass holding(int[] rowOrder, int firstRow) {
            this.order = rowOrder;
            this.from = firstRow;
            return this;
        }

        double forwardAndLoss() {
            return prepared.forwardAndLoss();
        }

        void backward() {
            prepared.backward();
        }

        /** How many of its rows the last forward pass put in their class ({@code classes} by data row). */
        long correct(int[] classes) {
            int[] rows = order;
            int first = from;
            return Accuracy.correct(prepared.scores(), prepared.rows(), prepared.columnMajor(),
                    r -> classes[rows == null ? first + r : rows[first + r]]);
        }
    }

    /** A network kind's side of the loop: its passes over training batches and validation chunks. */
    interface Passes {
        /** The training pass holding rows {@code order[from…from + size)}, filled. */
        Pass training(int[] order, int from, int size);

        /** The validation pass holding validation rows {@code [from, from + size)}, filled. */
        Pass validation(int from, int size);

        /** Validation rows per forward pass, for a training batch of {@code batchSize}. */
        int validationChunk(int batchSize);

        /** Whether an epoch whose one batch is every row is reordered anyway (it draws from the run's random). */
        boolean shufflesWholeSet();

        /** Weight and bias of a one-neuron linear network, reported each epoch; else null. */
        double[] line();

        /** The model as its parameters stand now, a copy the next updates do not change. */
        TrainedModel snapshot();

        /** Each layer's weights (not its biases) in a flat array laid out like the parameters. */
        java.util.List<INDArray> weightsOf(INDArray flat);

        /**
         * Into how many slices the optimizer's step is cut, each run by {@link #inParallel}: the
         * updaters work element by element, so a slice at a time computes what the whole does.
         */
        default int updateSlices() {
            return 1;
        }

        /** Runs {@code work} for 0 … count − 1, side by side where the network kind can. */
        default void inParallel(int count, java.util.function.IntConsumer work) {
            for (int i = 0; i < count; i++) {
                work.accept(i);
            }
        }
    }

    /** The optimizer's step on one slice of the parameters: the updater, then the subtraction. */
    private record SliceStep(NativeCall updater, NativeCall apply) {
        void run(long step) {
            updater.setIntegerArguments(step);
            updater.run();
            apply.run();
        }
    }

    private final TrainingJob job;
    private final RunResources resources;
    private final INDArray flatGradient;
    private final INDArray[] updaterState;
    private final NativeCall updater;
    private final NativeCall applyUpdate;
    private final EarlyStopRule earlyStop;
    private final int[] trainClasses;
    private final int[] validationClasses;
    private Random random;
    private final long progressEveryNanos;
    private final INDArray params;
    private Passes passes;
    private Penalty penalty;
    private java.util.List<SliceStep> slices = java.util.List.of();
    private int iteration;
    private int epochNow;
    private double lastDataLoss;

    /**
     * @param params             the network's parameters, one flat array the updater steps
     * @param resources          what the run allocates, freed when the loop closes
     * @param progressEveryNanos how often a long epoch reports its progress (0: after every batch but the last)
     */
    EpochLoop(TrainingJob job, INDArray params, RunResources resources, long progressEveryNanos) {
        this.job = job;
        this.resources = resources;
        this.progressEveryNanos = progressEveryNanos;
        this.params = params;
        this.flatGradient = resources.keepArray(Nd4j.create(params.dataType(), params.shape(), 'c'));
        OptimizerKind optimizer = job.training().optimizer();
        this.updaterState = new INDArray[NativeOps.updaterStateArrays(optimizer)];
        for (int i = 0; i < updaterState.length; i++) {
            updaterState[i] = resources.keepArray(Nd4j.create(params.dataType(), flatGradient.shape(), 'c'));
        }
        this.updater = resources.keep(NativeOps.updater(optimizer, job.training().learningRate(), flatGradient,
                updaterState));
        this.applyUpdate = resources.keep(NativeOps.subtractInPlace(params, flatGradient));
        this.earlyStop = EarlyStopRule.of(job.training().earlyStopping(), params);
        if (earlyStop != null) {
            resources.keep(earlyStop::release);
        }
        this.trainClasses = job.classification() ? Accuracy.classes(job.yTrain()) : null;
        this.validationClasses = job.classification() && job.hasValidation() ? Accuracy.classes(job.yVal()) : null;
        this.random = new Random(job.training().seed());
    }

    /** Where backward passes write: the flat gradient the network kind views per layer. */
    INDArray flatGradient() {
        return flatGradient;
    }

    /** The run's seeded random: the batch order, and dropout's masks (replaced when the run resumes: ask each time). */
    Random random() {
        return random;
    }

    RunResources resources() {
        return resources;
    }

    /** The network kind's passes (made after the loop: they write into its gradient). */
    void use(Passes kindPasses) {
        this.passes = kindPasses;
        this.penalty = Penalty.of(job.training(), kindPasses.weightsOf(params), kindPasses.weightsOf(flatGradient));
        int count = (int) Math.min(kindPasses.updateSlices(), params.length());
        if (count > 1) {
            java.util.List<SliceStep> steps = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                long from = params.length() * i / count;
                long to = params.length() * (i + 1) / count;
                INDArray gradient = ConvNetwork.slice(flatGradient, from, to - from);
                INDArray[] state = new INDArray[updaterState.length];
                for (int a = 0; a < state.length; a++) {
                    state[a] = ConvNetwork.slice(updaterState[a], from, to - from);
                }
                steps.add(new SliceStep(resources.keep(NativeOps.updater(job.training().optimizer(),
                        job.training().learningRate(), gradient, state)),
                        resources.keep(NativeOps.subtractInPlace(ConvNetwork.slice(params, from, to - from),
                                gradient))));
            }
            slices = java.util.List.copyOf(steps);
        }
    }

    /** The pass's forward pass: its data loss, plus the weights' penalty when the run has one (as Keras reports it). */
    double loss(Pass pass) {
        double loss = pass.forwardAndLoss();
        lastDataLoss = loss;
        return penalty == null ? loss : loss + penalty.score(iteration, epochNow);
    }

    /** The pass's backward pass, and the penalty's gradient added to the weights'. */
    void backward(Pass pass) {
        pass.backward();
        if (penalty != null) {
            penalty.addGradient(iteration, epochNow);
        }
    }

    void run(TrainingControl control) {
        try (Nd4jBackend.Computing share = Nd4jBackend.computing()) {
            run(control, share);
        }
    }

    private void run(TrainingControl control, Nd4jBackend.Computing share) {
        int rows = job.xTrain().length;
        int batchSize = job.training().batchSize() <= 0 ? rows : Math.min(job.training().batchSize(), rows);
        int batches = (rows + batchSize - 1) / batchSize;
        boolean reorder = job.training().shuffle() && (batchSize < rows || passes.shufflesWholeSet());
        int[] order = Permutations.identity(rows);
        int first = 1;
        if (control.resumeFrom() != null) {
            first = resume(control.resumeFrom().state(), order) + 1;
        }
        for (int epoch = first; epoch <= job.training().epochs(); epoch++) {
            epochNow = epoch - 1;
            if (reorder) {
                Permutations.shuffle(order, random);
            }
            double lossSum = 0;
            double dataLossSum = 0;
            long correct = 0;
            int seen = 0;
            long lastReport = System.nanoTime();
            for (int b = 0; b < batches; b++) {
                if (control.shouldStop()) {
                    return;
                }
                int size = Math.min(batchSize, rows - b * batchSize);
                Pass pass = passes.training(order, b * batchSize, size);
                lossSum += loss(pass) * size;
                dataLossSum += lastDataLoss * size;
                if (trainClasses != null) {
                    correct += pass.correct(trainClasses);
                }
                backwardAndUpdate(pass);
                seen += size;
                if (b < batches - 1 && System.nanoTime() - lastReport >= progressEveryNanos) {
                    lastReport = System.nanoTime();
                    control.onBatch(new BatchProgress(epoch, b + 1, batches, lossSum / seen,
                            trainClasses != null ? correct / (double) seen : null));
                }
            }
            EpochStats stats = validated(epoch, lossSum / rows, trainClasses == null ? null : correct / (double) rows,
                    batchSize, penalty == null ? null : dataLossSum / rows);
            control.onEpoch(stats);
            if (earlyStop != null && earlyStop.stopsAfter(stats, control)) {
                return;
            }
            if (epoch < job.training().epochs()) {
                if (control.wantsModel()) {
                    control.onModel(passes.snapshot());
                }
                if (control.wantsCheckpoint()) {
                    control.onCheckpoint(new Checkpoint(epoch, state(epoch, order).encode()));
                }
                share.idle();
                control.afterEpoch();
                share.busy();
            }
        }
    }

    /** Where the loop stands after {@code epoch}, the row order as it is now. */
    private LoopState state(int epoch, int[] order) {
        return new LoopState(epoch, iteration, random, order, earlyStop == null ? null : earlyStop.state(),
                stateArrays());
    }

    /** Takes up a checkpoint's state: parameters, optimizer, random, row order, early stopping; its epoch. */
    private int resume(byte[] bytes, int[] order) {
        LoopState state = LoopState.decode(bytes, stateArrays());
        if (state.order().length != order.length) {
            throw new IllegalStateException("a checkpoint of " + state.order().length + " rows for a run of "
                    + order.length);
        }
        System.arraycopy(state.order(), 0, order, 0, order.length);
        iteration = state.iteration();
        random = state.random();
        if (earlyStop != null && state.earlyStop() != null) {
            earlyStop.restore(state.earlyStop());
        }
        return state.epoch();
    }

    /** The arrays a checkpoint holds, always in this order: parameters, the optimizer's state, the best parameters. */
    private java.util.List<INDArray> stateArrays() {
        java.util.List<INDArray> arrays = new java.util.ArrayList<>();
        arrays.add(params);
        arrays.addAll(java.util.List.of(updaterState));
        if (earlyStop != null && earlyStop.bestParams() != null) {
            arrays.add(earlyStop.bestParams());
        }
        return arrays;
    }

    /** The epoch's figures, with the validation rows' loss and accuracy when the run holds some out. */
    private EpochStats validated(int epoch, double loss, Double accuracy, int batchSize, Double dataLoss) {
        if (!job.hasValidation()) {
            return new EpochStats(epoch, loss, null, accuracy, null, passes.line(), dataLoss);
        }
        int rows = job.xVal().length;
        int chunk = passes.validationChunk(batchSize);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < rows; from += chunk) {
            int size = Math.min(chunk, rows - from);
            Pass pass = passes.validation(from, size);
            lossSum += pass.forwardAndLoss() * size;
            if (validationClasses != null) {
                correct += pass.correct(validationClasses);
            }
        }
        double penaltyNow = penalty == null ? 0 : penalty.score(iteration, epochNow);
        return new EpochStats(epoch, loss, lossSum / rows + penaltyNow, accuracy,
                validationClasses == null ? null : correct / (double) rows, passes.line(), dataLoss);
    }

    /**
     * The pass's backward pass and the optimizer's step: slice by slice side by side, each slice's
     * end of the backward pass then its step, where the pass allows it and no penalty adds to the
     * whole gradient in between.
     */
    private void backwardAndUpdate(Pass pass) {
        if (slices.isEmpty() || penalty != null || !pass.prepared().backsBySlice(slices.size())) {
            backward(pass);
            update();
            return;
        }
        long step = iteration++;
        passes.inParallel(slices.size(), i -> {
            pass.prepared().backwardSlice(i);
            slices.get(i).run(step);
        });
    }

    /** One step of the optimizer with the gradient the last backward pass wrote (in slices side by side, where cut). */
    void update() {
        if (slices.isEmpty()) {
            computeUpdate();
            applyUpdate();
            return;
        }
        long step = iteration++;
        passes.inParallel(slices.size(), i -> slices.get(i).run(step));
    }

    /** The optimizer turns the gradient into this step's update, in place (step by step shows it). */
    void computeUpdate() {
        updater.setIntegerArguments(iteration++);
        updater.run();
    }

    /** Subtracts the update from the parameters. */
    void applyUpdate() {
        applyUpdate.run();
    }

    @Override
    public void close() {
        resources.close();
    }
}
