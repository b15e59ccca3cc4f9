package sinapsis.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingRun;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.MultiLayerNetworks;
import sinapsis.training.nd4j.Nd4jTrainer;
import sinapsis.training.nd4j.OperationCost;

/**
 * Prints the time of one epoch for the course's tiny networks, trained through the real training
 * service, next to a bare DL4J MultiLayerNetwork loop on the same data, in the same JVM (after the
 * jar's size and a server's start time).
 */
public final class Bench {
    private static final int EPOCHS = 1000;
    private static final int REPEATS = 5;
    static final NetworkSpec SPIRALS_NETWORK = NetworkSpec.of(LayerSpec.dense(32, Activation.TANH),
            LayerSpec.dense(32, Activation.TANH), LayerSpec.dense(2, Activation.SOFTMAX));

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        BuiltInDatasets datasets = BuiltInDatasets.load();
        Table celsius = datasets.find("celsius").orElseThrow().table();
        Problem problem = ProblemBuilder.build(celsius, List.of("celsius"), List.of("fahrenheit"), false, 1);
        Table spiralTable = datasets.find("spirals").orElseThrow().table();
        Problem spirals = ProblemBuilder.build(spiralTable, List.of("x", "y"), List.of("class"), true, 2);
        TrainingSpec crossEntropy = new TrainingSpec(LossKind.CROSSENTROPY, OptimizerKind.ADAM, 0.02, EPOCHS, 0,
                true, 42, 0, false);
        TrainingSpec adam = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.1, EPOCHS, 0, true, 42, 0, false);
        TrainingSpec adamSmall = new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.01, EPOCHS, 0, true, 42, 0,
                false);
        System.out.printf(Locale.ROOT, "Sinapsis bench: %d epochs, median of %d runs, %d cores, JVM %s, maxphysicalbytes=%s%n",
                EPOCHS, REPEATS, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                System.getProperty("org.bytedeco.javacpp.maxphysicalbytes", "(default)"));
        ArtifactBench.run();
        try (TrainingService service = new TrainingService(new Nd4jTrainer(), 1)) {
            System.out.println("backend: " + service.backend().backend() + " — " + service.backend().device());
            System.out.printf(Locale.ROOT, "%-30s %18s %22s %8s%n", "network", "service µs/epoch",
                    "MultiLayerNetwork µs/epoch", "ratio");
            row(service, "°C→°F Dense(1) Adam 0.1", problem, NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                    adam);
            row(service, "1→3→3→1 relu Adam 0.01", problem, NetworkSpec.of(LayerSpec.dense(3, Activation.RELU),
                    LayerSpec.dense(3, Activation.RELU), LayerSpec.dense(1, Activation.LINEAR)), adamSmall);
            row(service, "spirals 2→32→32→2 (400 rows)", spirals, SPIRALS_NETWORK, crossEntropy);
        }
        double[] matmul = OperationCost.microsPerMatmul(20_000);
        System.out.printf(Locale.ROOT, "one small ND4J op (7×2·2×1 matmul): %.1f µs built each call, %.1f µs prepared once%n",
                matmul[0], matmul[1]);
        NetworkSpec wide = SPIRALS_NETWORK;
        double twoThreads = trainerMicros(new Nd4jTrainer(2), spirals, wide, crossEntropy);
        double oneThread = trainerMicros(new Nd4jTrainer(1), spirals, wide, crossEntropy);
        System.out.printf(Locale.ROOT, "spirals 2→32→32→2 epoch with ND4J threads per op = 2: %.1f µs, = 1: %.1f µs%n",
                twoThreads, oneThread);
        DenseMemoryBench.run();
        SessionsBench.run(datasets);
        System.out.printf(Locale.ROOT, "peak RSS %s, max heap %d MB%n", peakResidentMemory(),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
        ClassroomBench.main(new String[0]);
    }

    /** The process's peak resident set size, from /proc (Linux); "unknown" elsewhere. */
    private static String peakResidentMemory() {
        return procStatus("VmHWM:");
    }

    /** The process's resident set size now, in bytes (0 where /proc is not there). */
    static long residentBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** The process's resident set size now. */
    static String residentMemory() {
        return procStatus("VmRSS:");
    }

    static String procStatus(String field) {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    long kilobytes = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return (kilobytes / 1024) + " MB";
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static void row(TrainingService service, String name, Problem problem, NetworkSpec network,
                            TrainingSpec training) throws InterruptedException {
        List<Double> ours = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        // one warm-up of each, then alternate so that both see the same machine state
        serviceMicros(service, problem, network, training);
        MultiLayerNetworks.microsPerEpoch(network, training, problem.x(), problem.y(), 100, EPOCHS);
        for (int i = 0; i < REPEATS; i++) {
            ours.add(serviceMicros(service, problem, network, training));
            bare.add(MultiLayerNetworks.microsPerEpoch(network, training, problem.x(), problem.y(), 0, EPOCHS));
        }
        double o = median(ours);
        double b = median(bare);
        System.out.printf(Locale.ROOT, "%-30s %18.1f %22.1f %7.2f×%n", name, o, b, o / b);
    }

    /** The trainer alone (no service), median of the repeats, per epoch. */
    private static double trainerMicros(Nd4jTrainer trainer, Problem problem, NetworkSpec network,
                                        TrainingSpec training) {
        Experiment experiment = new Experiment(problem, network, training);
        List<Double> times = new ArrayList<>();
        for (int i = 0; i <= REPEATS; i++) {
            long start = System.nanoTime();
            trainer.train(experiment.job(), new sinapsis.training.TrainingControl() {
                @Override
                public void onEpoch(sinapsis.training.EpochStats stats) {
                }

                @Override
                public boolean shouldStop() {
                    return false;
                }
            });
            if (i > 0) {
                times.add((System.nanoTime() - start) / 1000.0 / training.epochs());
            }
        }
        return median(times);
    }

    /** Wall time from submit to finished, per epoch: queueing, training, events and the result included. */
    static double serviceMicros(TrainingService service, Problem problem, NetworkSpec network,
                                        TrainingSpec training) throws InterruptedException {
        long start = System.nanoTime();
        TrainingRun run = service.submit(new Experiment(problem, network, training));
        while (!run.status().isOver()) {
            Thread.sleep(0, 200_000);
        }
        long elapsed = System.nanoTime() - start;
        if (run.history().size() != training.epochs()) {
            throw new IllegalStateException("run ended " + run.status() + " after " + run.history().size());
        }
        return elapsed / 1000.0 / training.epochs();
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
