package sinapsis.training.nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import sinapsis.training.BackendInfo;
import sinapsis.training.EpochStats;
import sinapsis.training.TrainedModel;
import sinapsis.training.Trainer;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/** Trains Dense networks with ND4J's activation, loss and updater classes; see the package documentation. */
public final class Nd4jTrainer implements Trainer {
    @Override
    public BackendInfo backend() {
        return Nd4jBackend.describe();
    }

    @Override
    public TrainedModel train(TrainingJob job, TrainingControl control) {
        DenseNetwork network = DenseNetwork.initialise(job.network(), job.inputCount(), job.training().seed());
        return train(network, job, control);
    }

    /** Trains from given initial parameters (used by the test that compares with MultiLayerNetwork). */
    TrainedModel train(DenseNetwork network, TrainingJob job, TrainingControl control) {
        new Loop(network, job).run(control);
        return new Nd4jModel(network.copy());
    }

    /** One training run's state: the data on the device, the reusable buffers and the updater. */
    private static final class Loop {
        private final DenseNetwork network;
        private final TrainingJob job;
        private final ILossFunction loss;
        private final INDArray gradient;
        private final INDArray[] gradientLayers;
        private final GradientUpdater<?> updater;
        private final INDArray xTrain;
        private final INDArray yTrain;
        private final Accuracy accuracy;
        private final Activations validation;
        private final INDArray validationLabels;
        private final Map<Integer, Activations> batches = new HashMap<>();
        private final Random shuffler;
        private int iteration;

        Loop(DenseNetwork network, TrainingJob job) {
            this.network = network;
            this.job = job;
            int outputs = network.outputSize();
            this.loss = Nd4jMapping.loss(job.training().loss(), outputs);
            this.gradient = Nd4j.create(DenseNetwork.DTYPE, network.params().shape(), 'c');
            this.gradientLayers = network.layerViews(gradient);
            IUpdater config = Nd4jMapping.updater(job.training().optimizer(), job.training().learningRate());
            long stateSize = config.stateSize(gradient.length());
            INDArray state = stateSize == 0 ? null : Nd4j.create(DenseNetwork.DTYPE, 1, stateSize);
            this.updater = config.instantiate(state, true);
            this.xTrain = DenseNetwork.withBiasColumn(job.xTrain(), job.inputCount());
            this.yTrain = DenseNetwork.matrix(job.yTrain(), outputs);
            this.accuracy = job.classification() ? new Accuracy(outputs) : null;
            if (job.hasValidation()) {
                validationLabels = DenseNetwork.matrix(job.yVal(), outputs);
                validation = new Activations(network, job.xVal().length,
                        DenseNetwork.withBiasColumn(job.xVal(), job.inputCount()), validationLabels);
            } else {
                validationLabels = null;
                validation = null;
            }
            this.shuffler = new Random(job.training().seed());
        }

        void run(TrainingControl control) {
            int rows = job.xTrain().length;
            int batchSize = job.training().batchSize() <= 0 ? rows : Math.min(job.training().batchSize(), rows);
            int[] order = identity(rows);
            for (int epoch = 1; epoch <= job.training().epochs(); epoch++) {
                if (control.shouldStop()) {
                    return;
                }
                if (job.training().shuffle() && batchSize < rows) {
                    shuffle(order);
                }
                double lossSum = 0;
                long correct = 0;
                for (int start = 0; start < rows; start += batchSize) {
                    int size = Math.min(batchSize, rows - start);
                    Activations batch = batch(size, order, start);
                    INDArray output = batch.forward(network);
                    if (accuracy != null) {
                        correct += accuracy.correct(output, batch.labels);
                    }
                    lossSum += step(batch, output, epoch) * size;
                }
                Double valLoss = null;
                Double valAccuracy = null;
                if (validation != null) {
                    INDArray output = validation.forward(network);
                    if (accuracy != null) {
                        valAccuracy = accuracy.correct(output, validationLabels) / (double) validation.rows;
                    }
                    valLoss = loss.computeScore(validationLabels, output, network.activation(last()), null, true);
                }
                Double trainAccuracy = accuracy == null ? null : correct / (double) rows;
                control.onEpoch(new EpochStats(epoch, lossSum / rows, valLoss, trainAccuracy, valAccuracy));
            }
        }

        /** One gradient step on one batch; returns the batch's mean loss before the step. */
        private double step(Activations batch, INDArray output, int epoch) {
            int last = last();
            Pair<Double, INDArray> scoreAndDelta =
                    loss.computeGradientAndScore(batch.labels, output, network.activation(last), null, true);
            INDArray delta = scoreAndDelta.getSecond();
            double scale = 1.0 / batch.rows;
            for (int l = last; l >= 0; l--) {
                Nd4j.gemm(batch.inputs[l], delta, gradientLayers[l], true, false, scale, 0.0);
                if (l > 0) {
                    Nd4j.gemm(delta, network.weightsOnly(l), batch.errors[l], false, true, 1.0, 0.0);
                    delta = network.activation(l - 1).backprop(batch.preOutputs[l - 1], batch.errors[l]).getFirst();
                }
            }
            updater.applyUpdater(gradient, iteration++, epoch - 1);
            network.params().subi(gradient);
            return scoreAndDelta.getFirst();
        }

        private Activations batch(int size, int[] order, int start) {
            if (size == order.length) {
                // The whole data set: the gradient is a sum over rows, so order does not matter.
                return batches.computeIfAbsent(size, s -> new Activations(network, s, xTrain, yTrain));
            }
            Activations batch = batches.computeIfAbsent(size, s -> new Activations(network, s, null, null));
            int[] rows = java.util.Arrays.copyOfRange(order, start, start + size);
            Nd4j.pullRows(xTrain, batch.inputs[0], 1, rows);
            Nd4j.pullRows(yTrain, batch.labels, 1, rows);
            return batch;
        }

        private int last() {
            return network.layerCount() - 1;
        }

        private void shuffle(int[] order) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = shuffler.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
            }
        }

        private static int[] identity(int n) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return order;
        }
    }
}
