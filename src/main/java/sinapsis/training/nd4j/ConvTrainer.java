package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.training.BatchProgress;
import sinapsis.training.EarlyStop;
import sinapsis.training.EarlyStopper;
import sinapsis.training.EpochStats;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/**
 * Trains a {@link ConvNetwork} batch by batch with SameDiff's {@code fit}: shuffled batches (seeded),
 * the loss and accuracy of each batch measured just before its update, progress reported about twice a
 * second within long epochs, validation after each epoch, early stopping as for Dense networks.
 */
final class ConvTrainer {
    /** How often a long epoch reports its progress (tests set 0: after every batch but the last). */
    static volatile long progressEveryNanos = 500_000_000L;
    static final int EVALUATION_BATCH = 256;

    private ConvTrainer() {
    }

    /**
     * Frees a batch's arrays now instead of when the garbage collector finds them: off-heap
     * memory would otherwise grow by megabytes per batch between collections.
     */
    static void release(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && array.closeable()) {
                array.close();
            }
        }
    }

    static TrainedModel train(TrainingJob job, TrainingControl control) {
        ConvNetwork network = ConvNetwork.initialise(job.network(), job.inputShape(), job.training().loss(),
                job.training().seed());
        network.configureTraining(job.training());
        new Loop(network, job).run(control);
        // predictions need neither the optimizer's state nor the training caches: a fresh graph, the old one to the collector
        return new ConvModel(ConvNetwork.of(job.network(), job.inputShape(), job.training().loss(), network.weights()));
    }

    /**
     * The loss and correct predictions of a batch, from the output layer's pre-activation computed
     * just before the batch's update (what Keras reports for a training batch), with ND4J's loss
     * function. SameDiff's training step computes only the loss's gradient, and a listener that asks
     * it for activations keeps them alive: measured here, it cost a third of the speed and 600 MB.
     */
    private static final class BatchMetrics {
        private final ConvNetwork network;
        private final boolean classification;
        private final ILossFunction lossFunction;
        private final IActivation outputActivation;
        double loss;
        long correct;

        BatchMetrics(ConvNetwork network, TrainingJob job) {
            this.network = network;
            this.classification = job.classification();
            this.lossFunction = Nd4jMapping.loss(job.training().loss(), network.outputSize());
            this.outputActivation = Nd4jMapping.activation(job.network().output().activation());
        }

        void measure(org.nd4j.linalg.dataset.MultiDataSet batch) {
            Map<String, INDArray> feed = new HashMap<>();
            List<String> names = network.featureNames();
            for (int i = 0; i < names.size(); i++) {
                feed.put(names.get(i), batch.getFeatures(i));
            }
            INDArray logits = network.graph().output(feed, network.logits()).get(network.logits());
            INDArray labels = batch.getLabels(0);
            if (classification) {
                correct = Accuracy.correctOfPreActivation(logits, labels);
            }
            loss = lossFunction.computeScore(labels, logits, outputActivation, null, true);
            release(logits);
        }
    }

    private static final class Loop {
        private final ConvNetwork network;
        private final TrainingJob job;
        private final float[] x;
        private final float[] y;
        private final int rows;
        private final int exampleSize;
        private final int outputs;
        private final Random random;
        private final EarlyStopper stopper;
        private final Map<String, INDArray> best;

        Loop(ConvNetwork network, TrainingJob job) {
            this.network = network;
            this.job = job;
            this.rows = job.xTrain().length;
            this.exampleSize = job.inputShape().size();
            this.outputs = network.outputSize();
            this.x = flatten(job.xTrain(), exampleSize);
            this.y = flatten(job.yTrain(), outputs);
            this.random = new Random(job.training().seed());
            this.stopper = job.training().earlyStopping() == null ? null : new EarlyStopper(job.training().earlyStopping());
            this.best = stopper != null && stopper.settings().restoreBestWeights() ? new HashMap<>() : null;
        }

        void run(TrainingControl control) {
            int batchSize = job.training().batchSize() <= 0 ? rows : Math.min(job.training().batchSize(), rows);
            int batches = (rows + batchSize - 1) / batchSize;
            int[] order = Permutations.identity(rows);
            BatchMetrics metrics = new BatchMetrics(network, job);
            for (int epoch = 1; epoch <= job.training().epochs(); epoch++) {
                if (job.training().shuffle()) {
                    Permutations.shuffle(order, random);
                }
                double lossSum = 0;
                long correct = 0;
                int seen = 0;
                long lastReport = System.nanoTime();
                for (int b = 0; b < batches; b++) {
                    if (control.shouldStop()) {
                        return;
                    }
                    int from = b * batchSize;
                    int size = Math.min(batchSize, rows - from);
                    org.nd4j.linalg.dataset.MultiDataSet batch = batch(order, from, size);
                    metrics.measure(batch);
                    network.graph().fit(batch);
                    release(batch.getFeatures());
                    release(batch.getLabels());
                    lossSum += metrics.loss * size;
                    correct += metrics.correct;
                    seen += size;
                    if (b < batches - 1 && System.nanoTime() - lastReport >= progressEveryNanos) {
                        lastReport = System.nanoTime();
                        control.onBatch(new BatchProgress(epoch, b + 1, batches, lossSum / seen,
                                job.classification() ? correct / (double) seen : null));
                    }
                }
                double[] validation = job.hasValidation() ? evaluate(job.xVal(), job.yVal()) : null;
                EpochStats stats = new EpochStats(epoch, lossSum / rows, validation == null ? null : validation[0],
                        job.classification() ? correct / (double) rows : null,
                        validation == null || !job.classification() ? null : validation[1]);
                control.onEpoch(stats);
                if (stopper != null && earlyStop(stats, control)) {
                    return;
                }
            }
        }

        /** Mean loss and accuracy over rows, in batches, with dropout off. */
        private double[] evaluate(double[][] xs, double[][] ys) {
            double lossSum = 0;
            long correct = 0;
            for (int from = 0; from < xs.length; from += EVALUATION_BATCH) {
                int size = Math.min(EVALUATION_BATCH, xs.length - from);
                Map<String, INDArray> feed = network.feedWithoutDropout(network.images(xs, from, size));
                INDArray labels = Nd4j.createFromArray(ConvNetwork.toFloat(java.util.Arrays.copyOfRange(ys, from,
                        from + size)));
                feed.put(ConvNetwork.LABEL, labels);
                Map<String, INDArray> out = network.graph().output(feed, ConvNetwork.LOSS, ConvNetwork.OUTPUT);
                lossSum += out.get(ConvNetwork.LOSS).getDouble(0) * size;
                if (job.classification()) {
                    correct += Accuracy.correct(out.get(ConvNetwork.OUTPUT), labels);
                }
                release(feed.values().toArray(INDArray[]::new));
                release(out.values().toArray(INDArray[]::new));
            }
            return new double[] {lossSum / xs.length, correct / (double) xs.length};
        }

        private org.nd4j.linalg.dataset.MultiDataSet batch(int[] order, int from, int size) {
            float[] features = new float[size * exampleSize];
            float[] labels = new float[size * outputs];
            for (int r = 0; r < size; r++) {
                int row = order[from + r];
                System.arraycopy(x, row * exampleSize, features, r * exampleSize, exampleSize);
                System.arraycopy(y, row * outputs, labels, r * outputs, outputs);
            }
            var shape = network.input();
            List<INDArray> inputs = new ArrayList<>();
            inputs.add(Nd4j.createFromArray(features).reshape(size, shape.height(), shape.width(), shape.channels()));
            for (ConvNetwork.Mask mask : network.masks()) {
                inputs.add(dropoutMask(mask, size));
            }
            return new org.nd4j.linalg.dataset.MultiDataSet(inputs.toArray(INDArray[]::new),
                    new INDArray[] {Nd4j.createFromArray(labels).reshape(size, outputs)});
        }

        /** Keeps each value with probability 1 − rate and scales kept ones by 1 / (1 − rate). */
        private INDArray dropoutMask(ConvNetwork.Mask mask, int size) {
            long[] shape = ConvNetwork.maskShape(mask, size);
            long count = 1;
            for (long d : shape) {
                count *= d;
            }
            float keep = (float) (1 / (1 - mask.rate()));
            float[] values = new float[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextDouble() < mask.rate() ? 0 : keep;
            }
            return Nd4j.createFromArray(values).reshape(shape);
        }

        private boolean earlyStop(EpochStats stats, TrainingControl control) {
            switch (stopper.observe(stats)) {
                case IMPROVED -> {
                    if (best != null) {
                        for (SDVariable v : network.graph().variables()) {
                            if (v.getVariableType() == VariableType.VARIABLE) {
                                best.put(v.name(), v.getArr().dup());
                            }
                        }
                    }
                    return false;
                }
                case STOP -> {
                    if (best != null) {
                        best.forEach((name, value) -> network.graph().getVariable(name).getArr().assign(value));
                    }
                    control.onEarlyStop(new EarlyStop(stats.epoch(), stopper.bestEpoch(), stopper.best(),
                            stopper.settings().monitor().id(), best != null && !best.isEmpty()));
                    return true;
                }
                default -> {
                    return false;
                }
            }
        }


        private static float[] flatten(double[][] rows, int width) {
            float[] out = new float[rows.length * width];
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < width; c++) {
                    out[r * width + c] = (float) rows[r][c];
                }
            }
            return out;
        }
    }
}
