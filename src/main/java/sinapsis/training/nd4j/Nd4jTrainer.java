package sinapsis.training.nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.InputShape;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.model.Activation;
import sinapsis.training.BackendInfo;
import sinapsis.training.Checkpoint;
import sinapsis.training.GradientStep;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;
import sinapsis.training.Trainer;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/** Trains Dense networks with libnd4j's operations, prepared once per run; see the package documentation. */
public final class Nd4jTrainer implements Trainer {
    /** About twice a second, a long epoch's running loss and accuracy. */
    public static final java.time.Duration PROGRESS_EVERY = java.time.Duration.ofMillis(500);
    private final long progressEveryNanos;

    /** One thread per operation: the training service already runs one worker per core. */
    public Nd4jTrainer() {
        this(1);
    }

    /**
     * @param threadsPerOperation threads ND4J may use inside one operation. On small networks
     *                            more than one costs more in waking threads than it gains (the
     *                            bench prints a 2→32→32→2 epoch with 1 and with 2). This setting is
     *                            process-wide in ND4J.
     */
    public Nd4jTrainer(int threadsPerOperation) {
        this(threadsPerOperation, PROGRESS_EVERY);
    }

    /** @param progressEvery how often a long epoch reports its progress (zero: after every batch but the last) */
    public Nd4jTrainer(int threadsPerOperation, java.time.Duration progressEvery) {
        Nd4jBackend.limitThreads(threadsPerOperation);
        this.progressEveryNanos = progressEvery.toNanos();
    }

    /**
     * At most {@code threads} per operation of an image network, process-wide (by default
     * OMP_NUM_THREADS when set, else every core, shared among the runs computing at the moment).
     */
    public static void limitImageThreads(int threads) {
        Nd4jBackend.limitImageThreads(threads);
    }

    @Override
    public BackendInfo backend() {
        return Nd4jBackend.describe();
    }

    @Override
    public TrainedModel restore(NetworkSpec network, TrainingSpec training, InputShape input,
                                List<LayerWeights> weights) {
        if (network.hasImageLayers()) {
            return new ConvModel(ConvNetwork.of(network, input, weights));
        }
        return new DenseModel(DenseNetwork.of(network, input.size(), weights));
    }

    @Override
    public TrainedModel restore(NetworkSpec network, InputShape input, Checkpoint checkpoint) {
        if (network.hasImageLayers()) {
            ConvNetwork conv = ConvNetwork.initialise(network, input, 0);
            LoopState.readParameters(checkpoint.state(), conv.params());
            return new ConvModel(conv);
        }
        DenseNetwork dense = DenseNetwork.initialise(network, input.size(), 0);
        LoopState.readParameters(checkpoint.state(), dense.params());
        return new DenseModel(dense);
    }

    @Override
    public void writeModel(NetworkSpec network, TrainingSpec training, int inputs, List<LayerWeights> weights,
                           OutputStream out) throws IOException {
        Dl4jModelFile.write(network, training, inputs, weights, out);
    }

    @Override
    public TrainedModel train(TrainingJob job, TrainingControl control) {
        if (job.network().hasImageLayers()) {
            return ConvPasses.train(job, control, progressEveryNanos);
        }
        DenseNetwork network = DenseNetwork.initialise(job.network(), job.inputCount(), job.training().seed());
        return train(network, job, control);
    }

    @Override
    public GradientStep step(TrainingJob job, int step) {
        Nd4jBackend.forDenseWork();
        DenseNetwork network = DenseNetwork.initialise(job.network(), job.inputCount(), job.training().seed());
        try (EpochLoop loop = new EpochLoop(job, network.params(), new RunResources(), progressEveryNanos)) {
            DensePasses passes = new DensePasses(network, job, loop);
            loop.use(passes);
            for (int i = 1; i < step; i++) {
                passes.step(i, false);
            }
            if (step == 0) {
                double[][] predictions = new DenseModel(network).predict(job.xTrain());
                return GradientStep.start(network.weights(), predictions, loop.loss(passes.wholeSet()));
            }
            return passes.step(step, true);
        }
    }

    /** Trains from given initial parameters (the test that compares with MultiLayerNetwork uses this). */
    TrainedModel train(DenseNetwork network, TrainingJob job, TrainingControl control) {
        Nd4jBackend.forDenseWork();
        try (EpochLoop loop = new EpochLoop(job, network.params(), new RunResources(), progressEveryNanos)) {
            loop.use(new DensePasses(network, job, loop));
            loop.run(control);
        }
        return new DenseModel(network.copy());
    }

    /**
     * A Dense network's side of the epoch loop: the data on the device (inputs with their column of
     * ones), and prepared {@link BatchPass}es, one per batch size, each fed by gathering its batch's
     * rows into its own buffers — so the memory a run holds follows the batch size, not the rows.
     * All the rows at once need no gathering: a gradient sums over rows, so their order does not matter.
     */
    private static final class DensePasses implements EpochLoop.Passes {
        private final DenseNetwork network;
        private final TrainingJob job;
        private final EpochLoop loop;
        private final RunResources resources;
        private final INDArray[] gradient;
        private final Rows training;
        private final Rows validation;
        private final int[] validationOrder;
        private final boolean oneNeuronLine;

        DensePasses(DenseNetwork network, TrainingJob job, EpochLoop loop) {
            this.network = network;
            this.job = job;
            this.loop = loop;
            this.resources = loop.resources();
            int outputs = network.outputSize();
            this.gradient = network.layerViews(loop.flatGradient());
            this.training = new Rows(resources.keepArray(DenseNetwork.withBiasColumn(job.xTrain(), job.inputCount())),
                    resources.keepArray(DenseNetwork.matrix(job.yTrain(), outputs)), gradient);
            this.validation = job.hasValidation() ? new Rows(
                    resources.keepArray(DenseNetwork.withBiasColumn(job.xVal(), job.inputCount())),
                    resources.keepArray(DenseNetwork.matrix(job.yVal(), outputs)), null) : null;
            this.validationOrder = Permutations.identity(job.hasValidation() ? job.xVal().length : 0);
            this.oneNeuronLine = network.layerCount() == 1 && network.size(0) == 1 && network.outputSize() == 1
                    && network.activationKind(0) == Activation.LINEAR;
        }

        @Override
        public EpochLoop.Pass training(int[] order, int from, int size) {
            return training.rows(order, from, size);
        }

        @Override
        public EpochLoop.Pass validation(int from, int size) {
            return validation.rows(validationOrder, from, size);
        }

        @Override
        public int validationChunk(int batchSize) {
            return Limits.validationChunk(batchSize, job.hasValidation() ? job.xVal().length : 0);
        }

        @Override
        public boolean shufflesWholeSet() {
            return false;
        }

        /** Weight and bias of a one-neuron linear network (its only layer is [w; b]), else null. */
        @Override
        public double[] line() {
            if (!oneNeuronLine) {
                return null;
            }
            // straight from the buffer: [w; b] are the first two parameters (INDArray.getDouble costs more per call)
            org.nd4j.linalg.api.buffer.DataBuffer buffer = network.params().data();
            long offset = network.params().offset();
            return new double[] {buffer.getDouble(offset), buffer.getDouble(offset + 1)};
        }

        @Override
        public TrainedModel snapshot() {
            return new DenseModel(network.copy());
        }

        @Override
        public List<INDArray> weightsOf(INDArray flat) {
            return network.weightViews(flat);
        }

        /** The pass over every training row, in their order. */
        EpochLoop.Pass wholeSet() {
            return training.rows(null, 0, job.xTrain().length);
        }

        /**
         * One update from the gradient of the whole training set (batch gradient descent); with
         * {@code report}, what it computed, else null.
         */
        GradientStep step(int number, boolean report) {
            EpochLoop.Pass pass = wholeSet();
            List<LayerWeights> before = report ? network.weights() : null;
            double[][] predictions = report ? new DenseModel(network).predict(job.xTrain()) : null;
            double loss = loop.loss(pass);
            loop.backward(pass);
            List<LayerWeights> gradients = report ? network.layersOf(loop.flatGradient()) : null;
            loop.computeUpdate();
            List<LayerWeights> updates = report ? network.layersOf(loop.flatGradient()) : null;
            loop.applyUpdate();
            if (!report) {
                return null;
            }
            return new GradientStep(number, before, predictions, loss, gradients, updates, network.weights(),
                    loop.loss(pass));
        }

        /** A pass fed by gathering rows: the indices its gathers read, refilled for every batch. */
        private record Gathered(EpochLoop.Pass pass, INDArray indices, int[] scratch) {
        }

        /** Prepared passes over the rows of {@code x} and {@code y}, one per batch size. */
        private final class Rows {
            private final INDArray x;
            private final INDArray y;
            private final INDArray[] gradient;
            private final Map<Integer, Gathered> bySize = new HashMap<>();

            /** @param gradient where the backward pass writes, or null for passes without one (validation) */
            Rows(INDArray x, INDArray y, INDArray[] gradient) {
                this.x = x;
                this.y = y;
                this.gradient = gradient;
            }

            /** The pass for rows {@code order[start…start + size)}, their values gathered in. */
            EpochLoop.Pass rows(int[] order, int start, int size) {
                LossKind loss = job.training().loss();
                if (size == x.rows()) {
                    return bySize.computeIfAbsent(-1, k -> new Gathered(new EpochLoop.Pass(resources.keep(
                            new BatchPass(network, loss, size, x, y, gradient))), null, null)).pass().holding(null, 0);
                }
                Gathered fed = bySize.computeIfAbsent(size, k -> {
                    BatchPass pass = resources.keep(new BatchPass(network, loss, size, null, null, gradient));
                    INDArray indices = resources.keepArray(Nd4j.createFromArray(new int[size]));
                    pass.addBefore(resources.keep(NativeOps.gatherRows(x, indices, pass.inputs)));
                    pass.addBefore(resources.keep(NativeOps.gatherRows(y, indices, pass.labels)));
                    return new Gathered(new EpochLoop.Pass(pass), indices, new int[size]);
                });
                System.arraycopy(order, start, fed.scratch(), 0, size);
                fed.indices().data().setData(fed.scratch());
                return fed.pass().holding(order, start);
            }
        }
    }
}
