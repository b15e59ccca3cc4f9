package sinapsis.training.nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.OptimizerKind;
import sinapsis.training.BatchProgress;
import sinapsis.training.EpochStats;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/**
 * Trains a {@link ConvNetwork} batch by batch with prepared {@link ConvPass}es and ND4J's updater:
 * shuffled batches (seeded), each batch's loss and accuracy from the forward pass its update uses
 * (what Keras reports for a training batch), progress about twice a second within long epochs,
 * validation after each epoch, early stopping as for Dense networks.
 */
final class ConvTrainer {
    /** How often a long epoch reports its progress (tests set 0: after every batch but the last). */
    static volatile long progressEveryNanos = 500_000_000L;
    /** Rows per forward pass when evaluating or predicting. */
    static final int EVALUATION_BATCH = 128;

    private ConvTrainer() {
    }

    static TrainedModel train(TrainingJob job, TrainingControl control) {
        return train(ConvNetwork.initialise(job.network(), job.inputShape(), job.training().seed()), job, control);
    }

    /** Trains from given initial parameters (the test that compares with MultiLayerNetwork uses this). */
    static TrainedModel train(ConvNetwork network, TrainingJob job, TrainingControl control) {
        try (Loop loop = new Loop(network, job)) {
            loop.run(control);
        }
        // the passes and the optimizer's state are freed; the model keeps only the parameters
        return new ConvModel(network);
    }

    /** One run: the data as float rows, the prepared passes, the gradient and the updater. */
    private static final class Loop implements AutoCloseable {
        private final ConvNetwork network;
        private final TrainingJob job;
        private final int[] trainClasses;
        private final int[] validationClasses;
        private final INDArray flatGradient;
        private final List<ConvNetwork.LayerParameters> gradient;
        private final NativeCall updater;
        private final NativeCall applyUpdate;
        private final Map<Integer, ConvPass> trainingPasses = new HashMap<>();
        private final Map<Integer, ConvPass> evaluationPasses = new HashMap<>();
        private final RunResources resources = new RunResources();
        private final Random random;
        private final EarlyStopRule earlyStop;
        private int iteration;

        Loop(ConvNetwork network, TrainingJob job) {
            this.network = network;
            this.job = job;
            this.trainClasses = job.classification() ? Accuracy.classes(job.yTrain()) : null;
            this.validationClasses = job.classification() && job.hasValidation() ? Accuracy.classes(job.yVal()) : null;
            this.flatGradient = resources.keepArray(Nd4j.create(ConvNetwork.DTYPE, network.params().shape(), 'c'));
            this.gradient = network.views(flatGradient);
            OptimizerKind optimizer = job.training().optimizer();
            INDArray[] state = new INDArray[NativeOps.updaterStateArrays(optimizer)];
            for (int i = 0; i < state.length; i++) {
                state[i] = resources.keepArray(Nd4j.create(ConvNetwork.DTYPE, flatGradient.shape(), 'c'));
            }
            this.updater = resources.keep(NativeOps.updater(optimizer, job.training().learningRate(), flatGradient,
                    state));
            this.applyUpdate = resources.keep(NativeOps.subtractInPlace(network.params(), flatGradient));
            this.random = new Random(job.training().seed());
            this.earlyStop = EarlyStopRule.of(job.training().earlyStopping(), network.params());
            if (earlyStop != null) {
                resources.keep(earlyStop::release);
            }
        }

        void run(TrainingControl control) {
            int rows = job.xTrain().length;
            int batchSize = job.training().batchSize() <= 0 ? rows : Math.min(job.training().batchSize(), rows);
            int batches = (rows + batchSize - 1) / batchSize;
            int[] order = Permutations.identity(rows);
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
                    ConvPass pass = trainingPasses.computeIfAbsent(size,
                            n -> resources.keep(new ConvPass(network, n, job.training().loss(), gradient)));
                    fill(pass, order, from);
                    lossSum += pass.forwardAndLoss() * size;
                    if (trainClasses != null) {
                        correct += Accuracy.correct(pass.logits(), size, false, r -> trainClasses[order[from + r]]);
                    }
                    pass.backward();
                    updater.setIntegerArguments(iteration++);
                    updater.run();
                    applyUpdate.run();
                    seen += size;
                    if (b < batches - 1 && System.nanoTime() - lastReport >= progressEveryNanos) {
                        lastReport = System.nanoTime();
                        control.onBatch(new BatchProgress(epoch, b + 1, batches, lossSum / seen,
                                trainClasses != null ? correct / (double) seen : null));
                    }
                }
                double[] validation = job.hasValidation() ? evaluate() : null;
                EpochStats stats = new EpochStats(epoch, lossSum / rows, validation == null ? null : validation[0],
                        trainClasses != null ? correct / (double) rows : null,
                        validationClasses == null ? null : validation[1]);
                control.onEpoch(stats);
                if (earlyStop != null && earlyStop.stopsAfter(stats, control)) {
                    return;
                }
            }
        }

        /**
         * Copies the rows {@code order[from…]} of the training set, and fresh dropout masks, into the
         * pass: a batch at a time, so the training set is never copied whole (Fashion-MNIST's shared
         * rows stay the only copy).
         */
        private void fill(ConvPass pass, int[] order, int from) {
            pass.fill(network.inputs(job.xTrain(), r -> order[from + r], pass.rows),
                    ConvNetwork.gather(job.yTrain(), r -> order[from + r], pass.rows, 1f));
            for (ConvPass.DropoutMask mask : pass.masks()) {
                mask.values().data().setData(dropoutMask(mask.rate(), mask.values().length()));
            }
        }

        /** Keeps each value with probability 1 − rate, scaled by 1 / (1 − rate), as Keras's dropout. */
        private float[] dropoutMask(double rate, long length) {
            float keep = (float) (1 / (1 - rate));
            float[] values = new float[(int) length];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextDouble() < rate ? 0 : keep;
            }
            return values;
        }

        /** Mean loss and accuracy over the validation rows, in batches, with dropout off. */
        private double[] evaluate() {
            int rows = job.xVal().length;
            double lossSum = 0;
            long correct = 0;
            for (int from = 0; from < rows; from += EVALUATION_BATCH) {
                int size = Math.min(EVALUATION_BATCH, rows - from);
                ConvPass pass = evaluationPasses.computeIfAbsent(size,
                        n -> resources.keep(new ConvPass(network, n, job.training().loss(), null)));
                int first = from;
                pass.fill(network.inputs(job.xVal(), r -> first + r, size),
                        ConvNetwork.gather(job.yVal(), r -> first + r, size, 1f));
                lossSum += pass.forwardAndLoss() * size;
                if (validationClasses != null) {
                    correct += Accuracy.correct(pass.logits(), size, false, r -> validationClasses[first + r]);
                }
            }
            return new double[] {lossSum / rows, correct / (double) rows};
        }

        @Override
        public void close() {
            resources.close();
        }
    }
}
