package sinapsis.training.nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.InputShape;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.model.Activation;
import sinapsis.training.BackendInfo;
import sinapsis.training.EpochStats;
import sinapsis.training.GradientStep;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;
import sinapsis.training.Trainer;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/** Trains Dense networks with libnd4j's operations, prepared once per run; see the package documentation. */
public final class Nd4jTrainer implements Trainer {
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
        Nd4jBackend.limitThreads(threadsPerOperation);
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
        return new Nd4jModel(DenseNetwork.of(network, input.size(), weights));
    }

    @Override
    public void writeModel(NetworkSpec network, TrainingSpec training, int inputs, List<LayerWeights> weights,
                           OutputStream out) throws IOException {
        Dl4jModelFile.write(network, training, inputs, weights, out);
    }

    @Override
    public TrainedModel train(TrainingJob job, TrainingControl control) {
        if (job.network().hasImageLayers()) {
            return ConvTrainer.train(job, control);
        }
        DenseNetwork network = DenseNetwork.initialise(job.network(), job.inputCount(), job.training().seed());
        return train(network, job, control);
    }

    @Override
    public GradientStep step(TrainingJob job, int step) {
        DenseNetwork network = DenseNetwork.initialise(job.network(), job.inputCount(), job.training().seed());
        try (Loop loop = new Loop(network, job)) {
            for (int i = 1; i < step; i++) {
                loop.step(i, false);
            }
            if (step == 0) {
                double[][] predictions = new Nd4jModel(network).predict(job.xTrain());
                return GradientStep.start(network.weights(), predictions, loop.wholeSetLoss());
            }
            return loop.step(step, true);
        }
    }

    /** Trains from given initial parameters (the test that compares with MultiLayerNetwork uses this). */
    TrainedModel train(DenseNetwork network, TrainingJob job, TrainingControl control) {
        try (Loop loop = new Loop(network, job)) {
            loop.run(control);
        }
        return new Nd4jModel(network.copy());
    }

    /** One run: the data on the device, the prepared passes, the gradient and the updater. */
    private static final class Loop implements AutoCloseable {
        private final DenseNetwork network;
        private final TrainingJob job;
        private final INDArray xTrain;
        private final INDArray yTrain;
        private final INDArray flatGradient;
        private final INDArray[] gradient;
        private final NativeCall updater;
        private final NativeCall applyUpdate;
        private final Batches training;
        private final Batches validation;
        private final int[] trainClasses;
        private final int[] validationClasses;
        /** The training rows in this epoch's order (shuffled, or the identity). */
        private final int[] permutation;
        private final RunResources resources = new RunResources();
        private final Random shuffler;
        private final EarlyStopRule earlyStop;
        private final boolean oneNeuronLine;
        private int iteration;

        Loop(DenseNetwork network, TrainingJob job) {
            this.network = network;
            this.job = job;
            int outputs = network.outputSize();
            xTrain = resources.keepArray(DenseNetwork.withBiasColumn(job.xTrain(), job.inputCount()));
            yTrain = resources.keepArray(DenseNetwork.matrix(job.yTrain(), outputs));
            permutation = Permutations.identity(job.xTrain().length);
            flatGradient = resources.keepArray(Nd4j.create(DenseNetwork.DTYPE, network.params().shape(), 'c'));
            gradient = network.layerViews(flatGradient);
            OptimizerKind optimizer = job.training().optimizer();
            INDArray[] state = new INDArray[NativeOps.updaterStateArrays(optimizer)];
            for (int i = 0; i < state.length; i++) {
                state[i] = resources.keepArray(Nd4j.create(DenseNetwork.DTYPE, flatGradient.shape(), 'c'));
            }
            updater = NativeOps.updater(optimizer, job.training().learningRate(), flatGradient, state);
            applyUpdate = NativeOps.subtractInPlace(network.params(), flatGradient);
            resources.keep(updater);
            resources.keep(applyUpdate);
            training = new Batches(xTrain, yTrain, gradient);
            validation = job.hasValidation() ? new Batches(
                    resources.keepArray(DenseNetwork.withBiasColumn(job.xVal(), job.inputCount())),
                    resources.keepArray(DenseNetwork.matrix(job.yVal(), outputs)), null) : null;
            trainClasses = job.classification() ? Accuracy.classes(job.yTrain()) : null;
            validationClasses = job.classification() && job.hasValidation() ? Accuracy.classes(job.yVal()) : null;
            shuffler = new Random(job.training().seed());
            earlyStop = EarlyStopRule.of(job.training().earlyStopping(), network.params());
            if (earlyStop != null) {
                resources.keep(earlyStop::release);
            }
            oneNeuronLine = network.layerCount() == 1 && network.size(0) == 1 && network.outputSize() == 1
                    && network.activationKind(0) == Activation.LINEAR;
        }

        void run(TrainingControl control) {
            int rows = job.xTrain().length;
            int batchSize = job.training().batchSize() <= 0 ? rows : Math.min(job.training().batchSize(), rows);
            int validationRows = validation == null ? 0 : job.xVal().length;
            int validationChunk = Limits.validationChunk(batchSize, validationRows);
            int[] validationOrder = Permutations.identity(validationRows);
            for (int epoch = 1; epoch <= job.training().epochs(); epoch++) {
                if (control.shouldStop()) {
                    return;
                }
                if (job.training().shuffle() && batchSize < rows) {
                    Permutations.shuffle(permutation, shuffler);
                }
                double lossSum = 0;
                long correct = 0;
                for (int start = 0; start < rows; start += batchSize) {
                    BatchPass pass = pass(start, Math.min(batchSize, rows - start));
                    lossSum += pass.forwardAndLoss() * pass.rows;
                    if (trainClasses != null) {
                        correct += correct(pass, trainClasses, permutation, start);
                    }
                    pass.backward();
                    updater.setIntegerArguments(iteration++);
                    updater.run();
                    applyUpdate.run();
                }
                Double valLoss = null;
                Double valAccuracy = null;
                if (validation != null) {
                    double validationLoss = 0;
                    long validationCorrect = 0;
                    for (int start = 0; start < validationRows; start += validationChunk) {
                        BatchPass pass = validation.rows(validationOrder, start,
                                Math.min(validationChunk, validationRows - start));
                        validationLoss += pass.forwardAndLoss() * pass.rows;
                        if (validationClasses != null) {
                            validationCorrect += correct(pass, validationClasses, validationOrder, start);
                        }
                    }
                    valLoss = validationLoss / validationRows;
                    if (validationClasses != null) {
                        valAccuracy = validationCorrect / (double) validationRows;
                    }
                }
                Double accuracy = trainClasses == null ? null : correct / (double) rows;
                EpochStats stats = new EpochStats(epoch, lossSum / rows, valLoss, accuracy, valAccuracy, line());
                control.onEpoch(stats);
                if (earlyStop != null && earlyStop.stopsAfter(stats, control)) {
                    return;
                }
            }
        }

        /** Weight and bias of a one-neuron linear network (its only layer is [w; b]), else null. */
        private double[] line() {
            if (!oneNeuronLine) {
                return null;
            }
            // straight from the buffer: [w; b] are the first two parameters (INDArray.getDouble costs more per call)
            org.nd4j.linalg.api.buffer.DataBuffer buffer = network.params().data();
            long offset = network.params().offset();
            return new double[] {buffer.getDouble(offset), buffer.getDouble(offset + 1)};
        }

        /** The loss of the whole training set with the current parameters. */
        double wholeSetLoss() {
            return pass(0, job.xTrain().length).forwardAndLoss();
        }

        /**
         * One update from the gradient of the whole training set (batch gradient descent); with
         * {@code report}, what it computed, else null.
         */
        GradientStep step(int number, boolean report) {
            BatchPass pass = pass(0, job.xTrain().length);
            List<LayerWeights> before = report ? network.weights() : null;
            double[][] predictions = report ? new Nd4jModel(network).predict(job.xTrain()) : null;
            double loss = pass.forwardAndLoss();
            pass.backward();
            List<LayerWeights> gradients = report ? network.layersOf(flatGradient) : null;
            updater.setIntegerArguments(iteration++);
            updater.run();
            List<LayerWeights> updates = report ? network.layersOf(flatGradient) : null;
            applyUpdate.run();
            if (!report) {
                return null;
            }
            return new GradientStep(number, before, predictions, loss, gradients, updates, network.weights(),
                    pass.forwardAndLoss());
        }

        /** The prepared pass for rows [start, start + size) of the current order. */
        private BatchPass pass(int start, int size) {
            return training.rows(permutation, start, size);
        }

        /**
         * Prepared passes over the rows of {@code x} and {@code y}: one per batch size (all the rows
         * at once need no gathering), each fed by gathering its batch's rows into its own buffers,
         * so the memory a run holds follows the batch size, not the number of rows.
         */
        private final class Batches {
            private final INDArray x;
            private final INDArray y;
            private final INDArray[] gradient;
            private final Map<Integer, Fed> bySize = new HashMap<>();

            /** A pass and the row indices its gathers read, refilled for every batch. */
            private record Fed(BatchPass pass, INDArray indices, int[] scratch) {
            }

            /** @param gradient where the backward pass writes, or null for passes without one (validation) */
            Batches(INDArray x, INDArray y, INDArray[] gradient) {
                this.x = x;
                this.y = y;
                this.gradient = gradient;
            }

            /** The pass for rows {@code order[start…start + size)}, their values gathered in. */
            BatchPass rows(int[] order, int start, int size) {
                LossKind loss = job.training().loss();
                if (size == x.rows()) {
                    // The whole set: a gradient sums over rows, so their order does not matter.
                    return bySize.computeIfAbsent(-1, k -> new Fed(resources.keep(new BatchPass(network, loss,
                            size, x, y, gradient)), null, null)).pass();
                }
                Fed fed = bySize.computeIfAbsent(size, k -> {
                    BatchPass pass = resources.keep(new BatchPass(network, loss, size, null, null, gradient));
                    INDArray indices = resources.keepArray(Nd4j.createFromArray(new int[size]));
                    pass.addBefore(resources.keep(NativeOps.gatherRows(x, indices, pass.inputs)));
                    pass.addBefore(resources.keep(NativeOps.gatherRows(y, indices, pass.labels)));
                    return new Fed(pass, indices, new int[size]);
                });
                System.arraycopy(order, start, fed.scratch(), 0, size);
                fed.indices().data().setData(fed.scratch());
                return fed.pass();
            }
        }

        /** Correct predictions among the pass's rows, which are rows {@code start…} of the current order. */
        private static long correct(BatchPass pass, int[] classes, int[] permutation, int start) {
            boolean wholeSet = pass.rows == permutation.length;
            return Accuracy.correct(pass.outputPreActivation(), pass.rows, true,
                    r -> classes[wholeSet ? r : permutation[start + r]]);
        }

        @Override
        public void close() {
            resources.close();
        }
    }

}
