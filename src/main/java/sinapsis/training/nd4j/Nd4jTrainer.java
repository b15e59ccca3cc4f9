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
        private final INDArray order;
        private final INDArray flatGradient;
        private final INDArray[] gradient;
        private final NativeCall updater;
        private final NativeCall applyUpdate;
        private final BatchPass validation;
        private final int[] trainClasses;
        private final int[] validationClasses;
        private final Map<Integer, BatchPass> passes = new HashMap<>();
        private final RunResources resources = new RunResources();
        private final Random shuffler;
        private final EarlyStopRule earlyStop;
        private final boolean oneNeuronLine;
        private int iteration;

        Loop(DenseNetwork network, TrainingJob job) {
            this.network = network;
            this.job = job;
            int outputs = network.outputSize();
            xTrain = DenseNetwork.withBiasColumn(job.xTrain(), job.inputCount());
            yTrain = DenseNetwork.matrix(job.yTrain(), outputs);
            order = Nd4j.createFromArray(Permutations.identity(job.xTrain().length));
            flatGradient = Nd4j.create(DenseNetwork.DTYPE, network.params().shape(), 'c');
            gradient = network.layerViews(flatGradient);
            OptimizerKind optimizer = job.training().optimizer();
            INDArray[] state = new INDArray[NativeOps.updaterStateArrays(optimizer)];
            for (int i = 0; i < state.length; i++) {
                state[i] = Nd4j.create(DenseNetwork.DTYPE, flatGradient.shape(), 'c');
            }
            updater = NativeOps.updater(optimizer, job.training().learningRate(), flatGradient, state);
            applyUpdate = NativeOps.subtractInPlace(network.params(), flatGradient);
            resources.keep(updater);
            resources.keep(applyUpdate);
            validation = job.hasValidation() ? new BatchPass(network, job.training().loss(), job.xVal().length,
                    DenseNetwork.withBiasColumn(job.xVal(), job.inputCount()),
                    DenseNetwork.matrix(job.yVal(), outputs), null) : null;
            if (validation != null) {
                resources.keep(validation);
            }
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
            int[] permutation = Permutations.identity(rows);
            for (int epoch = 1; epoch <= job.training().epochs(); epoch++) {
                if (control.shouldStop()) {
                    return;
                }
                if (job.training().shuffle() && batchSize < rows) {
                    Permutations.shuffle(permutation, shuffler);
                    order.data().setData(permutation);
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
                    valLoss = validation.forwardAndLoss();
                    if (validationClasses != null) {
                        valAccuracy = correct(validation, validationClasses, null, 0) / (double) validation.rows;
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
            int rows = job.xTrain().length;
            if (size == rows) {
                // The whole data set: the gradient sums over rows, so the order does not matter.
                return passes.computeIfAbsent(-1, k -> resources.keep(new BatchPass(network, job.training().loss(),
                        rows, xTrain, yTrain, gradient)));
            }
            return passes.computeIfAbsent(start, k -> {
                BatchPass pass = resources.keep(new BatchPass(network, job.training().loss(), size, null, null,
                        gradient));
                INDArray indices = order.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, start + size));
                pass.addBefore(resources.keep(NativeOps.gatherRows(xTrain, indices, pass.inputs)));
                pass.addBefore(resources.keep(NativeOps.gatherRows(yTrain, indices, pass.labels)));
                return pass;
            });
        }

        /** Correct predictions among the pass's rows, which are rows {@code start…} of the current order. */
        private static long correct(BatchPass pass, int[] classes, int[] permutation, int start) {
            boolean wholeSet = permutation == null || pass.rows == permutation.length;
            return Accuracy.correct(pass.outputPreActivation(), pass.rows, true,
                    r -> classes[wholeSet ? r : permutation[start + r]]);
        }

        @Override
        public void close() {
            resources.close();
        }
    }

}
