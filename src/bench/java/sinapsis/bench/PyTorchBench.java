package sinapsis.bench;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.CsvTableParser;
import sinapsis.data.ImageLayout;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.Experiment;
import sinapsis.training.Results;
import sinapsis.training.TrainingJob;
import sinapsis.training.TrainingRun;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * Sinapsis next to PyTorch (libtorch 2 through DJL, this bench-only profile's dependency), in one
 * process, on the same data: the course CNN at batch 32 on the shared Fashion-MNIST sample's 800
 * training images (with the 200 validation images evaluated after each epoch on both sides) at 1
 * thread and at 2, samples per second and their ratio; then the course's two tiny Dense networks,
 * µs per epoch through Sinapsis's training service against a PyTorch loop of the same steps (the
 * whole set, MSE, Adam). Each figure is the median of {@value #REPEATS} runs, the two sides
 * alternating so both see the same machine.
 */
public final class PyTorchBench {
    private static final int REPEATS = 3;
    private static final int CNN_EPOCHS = 10;
    private static final int DENSE_EPOCHS = 1000;
    private static final String SHARED = "../shared/datasets/fashion-mnist-test-sample.csv";
    private static final String COPY = "src/test/resources/fashion-mnist-test-sample.csv";

    private PyTorchBench() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true"); // the native library comes from the profile's jar, never a download
        Path csv = Path.of(args.length > 0 ? args[0] : Files.exists(Path.of(SHARED)) ? SHARED : COPY);
        Table table = new CsvTableParser(Limits.defaults()).parse(Files.readString(csv));
        int side = ImageLayout.side(table).orElseThrow();
        Problem problem = ProblemBuilder.build(table, ImageLayout.pixelColumns(side), List.of("label"), true, 10)
                .asImages(side, 0);
        TrainingSpec course = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.001, CNN_EPOCHS, 32, true,
                42, 0.2, false);
        Experiment experiment = new Experiment(problem, CnnBench.COURSE_CNN, course);
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        String torchVersion = ai.djl.engine.Engine.getEngine("PyTorch").getVersion(); // loads libtorch
        System.out.printf(Locale.ROOT, "PyTorch side by side: libtorch %s through DJL, %d cores; course CNN, batch 32, "
                        + "%d training + %d validation images of %s, %d epochs a run, median of %d%n",
                torchVersion, Runtime.getRuntime().availableProcessors(),
                experiment.trainRows(), problem.rows() - experiment.trainRows(), csv, CNN_EPOCHS, REPEATS);
        try (TrainingService service = new TrainingService(new Nd4jTrainer(), 1)) {
            for (int threads = 1; threads <= Math.min(2, Runtime.getRuntime().availableProcessors()); threads++) {
                Nd4jTrainer.limitImageThreads(threads);
                JniUtils.setNumThreads(threads);
                CnnBench.run(service, experiment); // warm-up of both
                torchCnn(experiment.job());
                List<Double> ours = new ArrayList<>();
                List<Double> torch = new ArrayList<>();
                double oursAccuracy = 0;
                double torchAccuracy = 0;
                for (int i = 0; i < REPEATS; i++) {
                    long start = System.nanoTime();
                    TrainingRun run = CnnBench.run(service, experiment);
                    ours.add(experiment.trainRows() * (double) CNN_EPOCHS / ((System.nanoTime() - start) / 1e9));
                    oursAccuracy = run.result().metrics().get("val_accuracy");
                    double[] figures = torchCnn(experiment.job());
                    torch.add(figures[0]);
                    torchAccuracy = figures[1];
                }
                double o = Bench.median(ours);
                double t = Bench.median(torch);
                System.out.printf(Locale.ROOT, "CNN, %d thread%s: Sinapsis %.0f samples/s (%.0f–%.0f), PyTorch %.0f (%.0f–%.0f): "
                                + "%.2f× PyTorch (target ≥ 1.0×); val_accuracy after %d epochs %.3f / %.3f%n",
                        threads, threads == 1 ? "" : "s", o, min(ours), max(ours), t, min(torch), max(torch), o / t,
                        CNN_EPOCHS, oursAccuracy, torchAccuracy);
            }
            Nd4jTrainer.limitImageThreads(Runtime.getRuntime().availableProcessors());
            JniUtils.setNumThreads(1);
            dense(service);
        }
    }

    /**
     * The course CNN in PyTorch (NCHW), trained as the service trains it; its samples/s, counted as
     * the service's are from the start of the run (building the network included), and its last
     * val_accuracy.
     */
    private static double[] torchCnn(TrainingJob job) {
        long start = System.nanoTime();
        Block network = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))).add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2))).add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(64).build())
                .add(Activation.reluBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(64).build()).add(Activation.reluBlock())
                .add(Linear.builder().setUnits(10).build());
        int batch = job.training().batchSize();
        float[][] images = pixels(job.xTrain());
        float[] labels = classes(job.yTrain());
        float[][] validation = pixels(job.xVal());
        float[] validationLabels = classes(job.yVal());
        Random random = new Random(job.training().seed());
        try (Model model = Model.newInstance("course-cnn", "PyTorch")) {
            model.setBlock(network);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed((float) job.training().learningRate())).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 1, 28, 28));
                double accuracy = 0;
                int[] order = java.util.stream.IntStream.range(0, images.length).toArray();
                for (int epoch = 0; epoch < job.training().epochs(); epoch++) {
                    shuffle(order, random);
                    for (int from = 0; from < order.length; from += batch) {
                        int size = Math.min(batch, order.length - from);
                        try (NDManager batchArrays = trainer.getManager().newSubManager()) {
                            NDArray x = batchArrays.create(gather(images, order, from, size), new Shape(size, 1, 28, 28));
                            NDArray y = batchArrays.create(gather(labels, order, from, size));
                            try (GradientCollector gradients = trainer.newGradientCollector()) {
                                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                                NDArray value = loss.evaluate(new NDList(y), new NDList(logits));
                                value.getFloat(); // the batch's loss, as the service reports it
                                logits.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).eq(y).sum()
                                        .getLong(); // and its accuracy
                                gradients.backward(value);
                            }
                            trainer.step();
                        }
                    }
                    accuracy = evaluate(trainer, validation, validationLabels);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new double[] {images.length * (double) job.training().epochs() / seconds, accuracy};
            }
        }
    }

    private static double evaluate(Trainer trainer, float[][] images, float[] labels) {
        long correct = 0;
        int[] all = java.util.stream.IntStream.range(0, images.length).toArray();
        for (int from = 0; from < images.length; from += 128) {
            int size = Math.min(128, images.length - from);
            try (NDManager arrays = trainer.getManager().newSubManager()) {
                NDArray x = arrays.create(gather(images, all, from, size), new Shape(size, 1, 28, 28));
                NDArray y = arrays.create(gather(labels, all, from, size));
                NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
                correct += logits.argMax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).eq(y).sum()
                        .getLong();
            }
        }
        return correct / (double) images.length;
    }

    /** The course's two tiny networks on °C→°F (7 rows, the whole set each epoch, MSE, Adam). */
    private static void dense(TrainingService service) throws Exception {
        Table celsius = BuiltInDatasets.load().find("celsius").orElseThrow().table();
        Problem problem = ProblemBuilder.build(celsius, List.of("celsius"), List.of("fahrenheit"), false, 1);
        System.out.printf(Locale.ROOT, "%-26s %18s %18s %8s%n", "tiny network, 1000 epochs", "service µs/epoch",
                "PyTorch µs/epoch", "ratio");
        denseRow(service, "°C→°F Dense(1) Adam 0.1", problem,
                NetworkSpec.of(LayerSpec.dense(1, sinapsis.model.Activation.LINEAR)), 0.1, new int[] {1}, false);
        denseRow(service, "1→3→3→1 relu Adam 0.01", problem, NetworkSpec.of(
                LayerSpec.dense(3, sinapsis.model.Activation.RELU), LayerSpec.dense(3, sinapsis.model.Activation.RELU),
                LayerSpec.dense(1, sinapsis.model.Activation.LINEAR)), 0.01, new int[] {3, 3, 1}, true);
    }

    private static void denseRow(TrainingService service, String name, Problem problem, NetworkSpec network,
                                 double learningRate, int[] units, boolean relu) throws Exception {
        TrainingSpec training = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, learningRate, DENSE_EPOCHS, 0,
                true, 42, 0, false);
        Experiment experiment = new Experiment(problem, network, training);
        Bench.serviceMicros(service, problem, network, training);
        torchDense(experiment.job(), units, relu);
        List<Double> ours = new ArrayList<>();
        List<Double> torch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ours.add(Bench.serviceMicros(service, problem, network, training));
            torch.add(torchDense(experiment.job(), units, relu));
        }
        double o = Bench.median(ours);
        double t = Bench.median(torch);
        System.out.printf(Locale.ROOT, "%-26s %18.1f %18.1f %7.2f× (target ≤ 0.25×)%n", name, o, t, o / t);
    }

    /** µs per epoch of a PyTorch loop doing what an epoch of the service does: forward, loss, backward, Adam. */
    private static double torchDense(TrainingJob job, int[] units, boolean relu) {
        SequentialBlock network = new SequentialBlock();
        for (int l = 0; l < units.length; l++) {
            network.add(Linear.builder().setUnits(units[l]).build());
            if (relu && l < units.length - 1) {
                network.add(Activation.reluBlock());
            }
        }
        try (Model model = Model.newInstance("tiny", "PyTorch")) {
            model.setBlock(network);
            Loss loss = Loss.l2Loss();
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed((float) job.training().learningRate())).build());
            try (Trainer trainer = model.newTrainer(config)) {
                int rows = job.xTrain().length;
                trainer.initialize(new Shape(rows, job.inputCount()));
                NDArray x = trainer.getManager().create(flat(job.xTrain()), new Shape(rows, job.inputCount()));
                NDArray y = trainer.getManager().create(flat(job.yTrain()), new Shape(rows, 1));
                long start = System.nanoTime();
                for (int epoch = 0; epoch < job.training().epochs(); epoch++) {
                    try (GradientCollector gradients = trainer.newGradientCollector()) {
                        NDArray value = loss.evaluate(new NDList(y), trainer.forward(new NDList(x)));
                        value.getFloat(); // the epoch's loss, as the service records it
                        gradients.backward(value);
                    }
                    trainer.step();
                }
                return (System.nanoTime() - start) / 1000.0 / job.training().epochs();
            }
        }
    }

    private static float[][] pixels(double[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new float[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) {
                out[r][c] = (float) (rows[r][c] / sinapsis.model.InputShape.MAX_GREY_LEVEL);
            }
        }
        return out;
    }

    private static float[] flat(double[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                out[r * rows[r].length + c] = (float) rows[r][c];
            }
        }
        return out;
    }

    private static float[] classes(double[][] oneHot) {
        float[] out = new float[oneHot.length];
        for (int r = 0; r < oneHot.length; r++) {
            out[r] = Results.classIndex(oneHot[r]);
        }
        return out;
    }

    private static float[] gather(float[][] rows, int[] order, int from, int size) {
        int width = rows[0].length;
        float[] out = new float[size * width];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows[order[from + i]], 0, out, i * width, width);
        }
        return out;
    }

    private static float[] gather(float[] values, int[] order, int from, int size) {
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = values[order[from + i]];
        }
        return out;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
