package sinapsis.training.nd4j;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import sinapsis.training.TrainedModel;
import sinapsis.training.TrainingControl;
import sinapsis.training.TrainingJob;

/**
 * An image network's side of the {@link EpochLoop}: prepared {@link ConvPass}es, one per batch
 * size, each filled from the data's float rows a batch at a time (Fashion-MNIST's shared rows stay
 * the only copy) with fresh dropout masks drawn from the run's random; validation in batches of
 * {@value #EVALUATION_BATCH} with dropout off.
 */
final class ConvPasses implements EpochLoop.Passes {
    /** Rows per forward pass when evaluating or predicting. */
    static final int EVALUATION_BATCH = 128;

    private final ConvNetwork network;
    private final TrainingJob job;
    private final RunResources resources;
    private final EpochLoop loop;
    private final BatchParts parts;
    private final Map<Integer, EpochLoop.Pass> trainingPasses = new HashMap<>();
    private final Map<Integer, EpochLoop.Pass> evaluationPasses = new HashMap<>();

    private ConvPasses(ConvNetwork network, TrainingJob job, EpochLoop loop) {
        this.network = network;
        this.job = job;
        this.resources = loop.resources();
        this.loop = loop;
        this.parts = resources.keep(new BatchParts(Nd4jBackend.cores()));
    }

    static TrainedModel train(TrainingJob job, TrainingControl control, long progressEveryNanos) {
        return train(ConvNetwork.initialise(job.network(), job.inputShape(), job.training().seed()), job, control,
                progressEveryNanos);
    }

    /** Trains from given initial parameters (the test that compares with MultiLayerNetwork uses this). */
    static TrainedModel train(ConvNetwork network, TrainingJob job, TrainingControl control, long progressEveryNanos) {
        try (EpochLoop loop = new EpochLoop(job, network.params(), new RunResources(), progressEveryNanos)) {
            loop.use(new ConvPasses(network, job, loop));
            loop.run(control);
        }
        // the passes and the optimizer's state are freed; the model keeps only the parameters
        return new ConvModel(network);
    }

    /**
     * Draws fresh dropout masks into the pass and has it copy the rows {@code order[from…]} of
     * the training set, each part its own, when it runs.
     */
    @Override
    public EpochLoop.Pass training(int[] order, int from, int size) {
        EpochLoop.Pass fed = trainingPasses.computeIfAbsent(size, n -> new EpochLoop.Pass(resources.keep(
                new PartedPass(network, n, partsOf(n), job.training().loss(), loop.flatGradient(), updateSlices(),
                        parts))));
        PartedPass pass = (PartedPass) fed.prepared();
        for (int p = 0; p < pass.parts(); p++) { // in order: the masks draw from the run's one random
            for (ConvPass.DropoutMask mask : pass.part(p).masks()) {
                ConvPass.copyInto(mask.values(), dropoutMask(mask.rate(), mask.values().length()));
            }
        }
        pass.fillBy(p -> {
            ConvPass part = pass.part(p);
            int first = from + pass.firstRow(p);
            part.fill(network.inputs(job.xTrain(), r -> order[first + r], part.rows),
                    ConvNetwork.gather(job.yTrain(), r -> order[first + r], part.rows, 1f));
        });
        return fed.holding(order, from);
    }

    @Override
    public EpochLoop.Pass validation(int from, int size) {
        EpochLoop.Pass fed = evaluationPasses.computeIfAbsent(size, n -> new EpochLoop.Pass(resources.keep(
                new PartedPass(network, n, partsOf(n), job.training().loss(), null, 1, parts))));
        PartedPass pass = (PartedPass) fed.prepared();
        pass.fillBy(p -> {
            ConvPass part = pass.part(p);
            int first = from + pass.firstRow(p);
            part.fill(network.inputs(job.xVal(), r -> first + r, part.rows),
                    ConvNetwork.gather(job.yVal(), r -> first + r, part.rows, 1f));
        });
        return fed.holding(null, from);
    }

    /** How many parts a batch of {@code rows} is cut into (see {@link PartedPass}). */
    private static int partsOf(int rows) {
        return PartedPass.partsFor(rows, Nd4jBackend.cores());
    }

    @Override
    public int updateSlices() {
        return PartedPass.partsFor(Integer.MAX_VALUE, Nd4jBackend.cores());
    }

    @Override
    public void inParallel(int count, java.util.function.IntConsumer work) {
        parts.each(count, work);
    }

    @Override
    public int validationChunk(int batchSize) {
        return EVALUATION_BATCH;
    }

    @Override
    public boolean shufflesWholeSet() {
        return true;
    }

    @Override
    public double[] line() {
        return null;
    }

    @Override
    public List<org.nd4j.linalg.api.ndarray.INDArray> weightsOf(org.nd4j.linalg.api.ndarray.INDArray flat) {
        return network.views(flat).stream().map(ConvNetwork.LayerParameters::weights).toList();
    }

    @Override
    public TrainedModel snapshot() {
        return new ConvModel(network.copy());
    }

    /** Keeps each value with probability 1 − rate, scaled by 1 / (1 − rate), as Keras's dropout. */
    private float[] dropoutMask(double rate, long length) {
        Random random = loop.random(); // asked each time: a run resumed from a checkpoint has its random replaced
        float keep = (float) (1 / (1 - rate));
        float[] values = new float[(int) length];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() < rate ? 0 : keep;
        }
        return values;
    }
}
