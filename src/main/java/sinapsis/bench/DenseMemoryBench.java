package sinapsis.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import sinapsis.data.Problem;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingControl;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * A wide Dense run's memory: 1→4096→100→4096→1 relu on 20 000 rows (the network a hostile user
 * tried), at the largest batch the server's limit admits, one epoch. Prints the resident set
 * before, at its peak during the run (sampled every 20 ms) and after it, and what the limit
 * refused first.
 */
final class DenseMemoryBench {
    private static final int ROWS = 20_000;

    private DenseMemoryBench() {
    }

    private static void train(Experiment experiment) {
        new Nd4jTrainer().train(experiment.job(), new TrainingControl() {
            @Override
            public void onEpoch(sinapsis.training.EpochStats stats) {
            }

            @Override
            public boolean shouldStop() {
                return false;
            }
        });
    }

    static void run() throws InterruptedException {
        NetworkSpec wide = NetworkSpec.of(LayerSpec.dense(4096, Activation.RELU), LayerSpec.dense(100, Activation.RELU),
                LayerSpec.dense(4096, Activation.RELU), LayerSpec.dense(1, Activation.LINEAR));
        TrainingSpec whole = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.001, 1, 0, true, 42, 0.2, false);
        Limits limits = Limits.defaults();
        int batch;
        try {
            limits.checkBatch(wide, whole, InputShape.flat(1), 16_000, 4_000);
            throw new IllegalStateException("the whole-set batch of the wide network should be over the limit");
        } catch (InvalidSpecException refused) {
            batch = ((Number) refused.arguments().get(3)).intValue();
            System.out.printf(Locale.ROOT, "dense memory: 1→4096→100→4096→1 relu, %d rows: batch 0 (16000 rows) refused"
                    + " (about %s MB, limit %d MB); largest batch admitted %d%n", ROWS, refused.arguments().get(1),
                    limits.maxBatchMegabytes(), batch);
        }
        double[][] x = new double[ROWS][];
        double[][] y = new double[ROWS][];
        for (int r = 0; r < ROWS; r++) {
            x[r] = new double[] {r % 97};
            y[r] = new double[] {(r % 97) * 0.5 + 3};
        }
        Problem problem = new Problem(List.of("x"), List.of("y"), x, y, new ArrayList<>());
        TrainingSpec admitted = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.001, 1, batch, true, 42, 0.2,
                false);
        Experiment experiment = new Experiment(problem, wide, admitted);
        // ND4J's libraries loaded and a small run done first: the figures are the wide run's own
        Experiment small = new Experiment(problem, NetworkSpec.of(LayerSpec.dense(8, Activation.RELU),
                LayerSpec.dense(1, Activation.LINEAR)), admitted);
        train(small);
        System.gc();
        long before = Bench.residentBytes();
        AtomicLong peak = new AtomicLong(before);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(Bench.residentBytes(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        long start = System.nanoTime();
        train(experiment);
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        System.gc();
        long after = Bench.residentBytes();
        System.out.printf(Locale.ROOT, "  one epoch at batch %d: %.1f s; RSS %d MB before, %d MB at the peak (+%d),"
                        + " %d MB after the run (+%d)%n", batch, seconds, before >> 20, peak.get() >> 20,
                (peak.get() - before) >> 20, after >> 20, (after - before) >> 20);
    }
}
