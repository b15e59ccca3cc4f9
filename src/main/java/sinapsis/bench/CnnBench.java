package sinapsis.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import sinapsis.data.CsvTableParser;
import sinapsis.data.FashionMnist;
import sinapsis.data.ImageSet;
import sinapsis.data.ImageLayout;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.Padding;
import sinapsis.model.TrainingSpec;
import sinapsis.training.Experiment;
import sinapsis.training.Results;
import sinapsis.training.TrainingRun;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.MultiLayerNetworks;
import sinapsis.training.nd4j.Nd4jTrainer;
import sinapsis.training.nd4j.OperationCost;

/**
 * The course's Fashion-MNIST CNN at batch 32 on 1000 real Fashion-MNIST images (800 train, 200
 * validation): training samples per second through the training service next to a bare DL4J
 * MultiLayerNetwork loop in the same JVM, on one thread and on two (a lone run takes every core),
 * each next to the machine's sgemm peak on as many threads; the validation accuracy after the
 * course's 10 epochs, and the process's peak resident memory; then one epoch on a set the size of
 * Fashion-MNIST and the peak memory after it. Run in its own JVM so that the peaks are these runs'.
 */
public final class CnnBench {
    static final NetworkSpec COURSE_CNN = NetworkSpec.of(
            LayerSpec.conv2d(32, 3, 1, Padding.VALID, Activation.RELU), LayerSpec.maxPool2d(2, 2),
            LayerSpec.conv2d(64, 3, 1, Padding.VALID, Activation.RELU), LayerSpec.maxPool2d(2, 2),
            LayerSpec.conv2d(64, 3, 1, Padding.VALID, Activation.RELU), LayerSpec.flatten(),
            LayerSpec.dense(64, Activation.RELU), LayerSpec.dense(10, Activation.SOFTMAX));
    private static final String SHARED = "../shared/datasets/fashion-mnist-test-sample.csv";
    private static final String COPY = "src/test/resources/fashion-mnist-test-sample.csv";
    private static final int EPOCHS = 10;
    private static final int REFERENCE_EPOCHS = 3;

    private CnnBench() {
    }

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args.length > 0 ? args[0] : Files.exists(Path.of(SHARED)) ? SHARED : COPY);
        Table table = new CsvTableParser(Limits.defaults()).parse(Files.readString(csv));
        int side = ImageLayout.side(table).orElseThrow(() -> new IllegalArgumentException(csv + " is not label,pixel1,…"));
        Problem problem = ProblemBuilder.build(table, ImageLayout.pixelColumns(side), java.util.List.of("label"), true,
                10).asImages(side, 0);
        TrainingSpec course = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.001, EPOCHS, 32, true, 42,
                0.2, false);
        Experiment experiment = new Experiment(problem, COURSE_CNN, course);
        int train = experiment.trainRows();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "Course CNN (93 322 parameters), batch 32, %d training + %d validation images of %s, "
                + "%d cores, -Xmx %d MB, OMP_NUM_THREADS=%s%n", train, problem.rows() - train, csv,
                cores, Runtime.getRuntime().maxMemory() >> 20,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "(unset)"));
        double flops = trainingFlopsPerSample(COURSE_CNN, problem.inputShape());
        int most = Math.min(2, cores);
        double[] peak = new double[most + 1];
        for (int threads = 1; threads <= most; threads++) {
            peak[threads] = OperationCost.sgemmGflops(threads);
        }
        System.out.printf(Locale.ROOT, "sgemm peak (ND4J's matmul, 1024 × 1024 · 1024 × 1024, best of 10): %s; the CNN's "
                + "training arithmetic: %.1f MFLOP a sample (forward, the weights' and the inputs' gradients of every "
                + "convolution and Dense layer, the first layer's inputs' excepted)%n",
                peakText(peak), flops / 1e6);
        try (TrainingService service = new TrainingService(new Nd4jTrainer(), 1)) {
            TrainingRun run = null;
            for (int threads = 1; threads <= most; threads++) {
                Nd4jTrainer.limitImageThreads(threads);
                run(service, new Experiment(problem, COURSE_CNN, course.withEpochs(1))); // warm-up
                long start = System.nanoTime();
                run = run(service, experiment);
                double ours = (double) train * EPOCHS / ((System.nanoTime() - start) / 1e9);
                System.out.printf(Locale.ROOT, "service, %d thread%s: %.0f samples/s (submit to finished: %d epochs, "
                                + "validation, result) = %.1f GFLOP/s, %.0f %% of the %d-thread sgemm peak "
                                + "(target ≥ 25 %%)%n", threads, threads == 1 ? "" : "s", ours, EPOCHS,
                        ours * flops / 1e9, 100 * ours * flops / 1e9 / peak[threads], threads);
            }
            Nd4jTrainer.limitImageThreads(cores);
            String peakDuringRun = Bench.procStatus("VmHWM:");
            double reference = MultiLayerNetworks.convolutionalSamplesPerSecond(COURSE_CNN, problem.inputShape(),
                    course, experiment.job().xTrain(), experiment.job().yTrain(), REFERENCE_EPOCHS);
            System.out.printf(Locale.ROOT, "bare MultiLayerNetwork: %.0f samples/s%n", reference);
            System.out.printf(Locale.ROOT, "after %d epochs on %d images: val_accuracy %.3f (chance 0.1), val_loss %.3f "
                            + "(the same on 1 thread and on %d)%n", EPOCHS, train,
                    run.result().metrics().get("val_accuracy"), run.result().metrics().get("val_loss"), most);
            System.out.printf(Locale.ROOT, "peak RSS up to the end of the service's runs: %s%n", peakDuringRun);
        }
        System.out.printf(Locale.ROOT, "peak RSS with the MultiLayerNetwork reference too: %s (heap limit %d MB)%n",
                Bench.procStatus("VmHWM:"),
                Runtime.getRuntime().maxMemory() >> 20);
        fullSizeRun(problem, course);
        if (cores >= 2) {
            twoAtOnce(experiment, train); // last: the peak memory above is one run's
        }
    }

    /**
     * One epoch of the course CNN on a set the size of Fashion-MNIST (the sample's images repeated
     * to 60 000 training and 10 000 test images), through the same path as a session on the
     * built-in set: shared image rows, 20 % validation, test evaluation and result. Its figure is the
     * process's peak memory; the images being repeats, its accuracy means nothing.
     */
    private static void fullSizeRun(Problem sample, TrainingSpec course) throws InterruptedException {
        ImageSet images = repeated(sample, FashionMnist.TRAIN_IMAGES_COUNT, FashionMnist.TEST_IMAGES_COUNT);
        Experiment experiment = new Experiment(images.problem(0, FashionMnist.CLASSES), COURSE_CNN,
                course.withEpochs(1));
        try (TrainingService service = new TrainingService(new Nd4jTrainer(), 1)) {
            long start = System.nanoTime();
            TrainingRun run = service.submit(experiment);
            while (run.history().isEmpty() && !run.status().isOver()) {
                Thread.sleep(5);
            }
            double epoch = (System.nanoTime() - start) / 1e9; // the epoch's event: training and validation done
            while (!run.status().isOver()) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run.result() == null) {
                throw new IllegalStateException("the bench run ended " + run.status() + ": " + run.failure());
            }
            System.out.printf(Locale.ROOT, "Fashion-MNIST-sized run (the sample repeated to %d + %d images), 1 epoch: "
                    + "%d training + %d validation images, then the %d test images evaluated, in %.1f s "
                    + "(%.0f training samples/s; the epoch with its validation %.1f s, the result %.1f s)%n",
                    FashionMnist.TRAIN_IMAGES_COUNT, FashionMnist.TEST_IMAGES_COUNT,
                    experiment.trainRows(), FashionMnist.TRAIN_IMAGES_COUNT - experiment.trainRows(),
                    FashionMnist.TEST_IMAGES_COUNT, seconds, experiment.trainRows() / seconds, epoch,
                    seconds - epoch);
        }
        System.out.printf(Locale.ROOT, "peak RSS of the whole bench JVM after it: %s (heap limit %d MB)%n",
                Bench.procStatus("VmHWM:"), Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Two CNN runs at once, on a service with two workers: each takes half the cores, and together they go as fast as one. */
    private static void twoAtOnce(Experiment experiment, int train) throws InterruptedException {
        try (TrainingService two = new TrainingService(new Nd4jTrainer(), 2)) {
            long start = System.nanoTime();
            TrainingRun first = two.submit(experiment);
            TrainingRun second = two.submit(experiment);
            while (!first.status().isOver() || !second.status().isOver()) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "two runs at once (two workers, a thread each): %.0f samples/s together%n",
                    2.0 * train * EPOCHS / seconds);
        }
    }

    private static String peakText(double[] peak) {
        StringBuilder text = new StringBuilder();
        for (int threads = 1; threads < peak.length; threads++) {
            text.append(threads == 1 ? "" : ", ").append(String.format(Locale.ROOT, "%d thread%s %.1f GFLOP/s", threads,
                    threads == 1 ? "" : "s", peak[threads]));
        }
        return text.toString();
    }

    /**
     * Floating-point operations one training sample costs: for every convolution and Dense layer, 2
     * per multiply-add of its forward pass, as many for its weights' gradient, and as many for its
     * inputs' gradient except the first such layer's (nothing needs it). Poolings and activations
     * are left out: they are not arithmetic a matrix unit does.
     */
    static double trainingFlopsPerSample(NetworkSpec network, sinapsis.model.InputShape input) {
        double flops = 0;
        boolean first = true;
        for (sinapsis.model.LayerShapes.Row row : sinapsis.model.LayerShapes.of(network, input).rows()) {
            double multiplyAdds;
            if (row.layer() instanceof LayerSpec.Conv2d conv) {
                multiplyAdds = (double) row.out().height() * row.out().width() * conv.filters() * conv.kernel()
                        * conv.kernel() * row.in().channels();
            } else if (row.layer() instanceof LayerSpec.Dense dense) {
                multiplyAdds = (double) row.in().size() * dense.units();
            } else {
                continue;
            }
            flops += 2 * multiplyAdds * (first ? 2 : 3);
            first = false;
        }
        return flops;
    }

    /** The problem's images (grey levels) and labels repeated to {@code train} + {@code test} images. */
    private static ImageSet repeated(Problem sample, int train, int test) {
        int pixels = sample.inputCount();
        byte[] bytes = new byte[(train + test) * pixels];
        int[] labels = new int[train + test];
        for (int i = 0; i < labels.length; i++) {
            int from = i % sample.rows();
            for (int p = 0; p < pixels; p++) {
                bytes[i * pixels + p] = (byte) sample.x()[from][p];
            }
            labels[i] = Results.classIndex(sample.y()[from]);
        }
        int side = sample.inputShape().height();
        return new ImageSet(FashionMnist.ID, side, bytes, labels, train, FashionMnist.CLASSES, "bench-repeated");
    }

    /** Submits the run and waits for its result (a run that ends without one is the bench's failure). */
    static TrainingRun run(TrainingService service, Experiment experiment) throws InterruptedException {
        TrainingRun run = service.submit(experiment);
        while (!run.status().isOver()) {
            Thread.sleep(5);
        }
        if (run.result() == null) {
            throw new IllegalStateException("the bench run ended " + run.status() + ": " + run.failure());
        }
        return run;
    }

}
