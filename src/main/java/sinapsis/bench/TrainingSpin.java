package sinapsis.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import sinapsis.data.CsvTableParser;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.json.SpecJson;
import sinapsis.model.Limits;
import sinapsis.model.SessionSpec;
import sinapsis.training.EpochStats;
import sinapsis.training.Experiment;
import sinapsis.training.Trainer;
import sinapsis.training.TrainingControl;
import sinapsis.training.nd4j.Nd4jTrainer;

/**
 * A process that only trains, for {@link ClusterBench}'s measure of what this machine gives two
 * processes at once for the work its workers do: the class's run (the course's 1→3→3→1,
 * {@link ClassroomBench#SPEC}) trained over and over with the trainer a worker uses, in this process,
 * with no server, no database and nothing else. Unlike {@link CoreSpin}, whose kernel touches only
 * registers, this one uses what a worker's training uses — ND4J's native calls, its memory, the
 * caches the two cores share. It warms up (ND4J's start, the JIT), prints {@code ready}, then reads
 * commands from its standard input: {@code count MILLIS} trains for that long and prints the epochs
 * it trained; the end of the input ends it. Between commands it waits, using no CPU.
 */
public final class TrainingSpin {
    private static final long WARM_UP_NANOS = 3_000_000_000L;

    private TrainingSpin() {
    }

    public static void main(String[] args) throws Exception {
        Experiment experiment = classRun();
        Trainer trainer = new Nd4jTrainer();
        epochsUntil(trainer, experiment, System.nanoTime() + WARM_UP_NANOS);
        System.out.println("ready");
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command = commands.readLine(); command != null; command = commands.readLine()) {
            String[] words = command.trim().split("\\s+");
            if (words.length != 2 || !words[0].equals("count")) {
                throw new IllegalArgumentException("unknown command: " + command);
            }
            long until = System.nanoTime() + Long.parseLong(words[1]) * 1_000_000L;
            System.out.println(epochsUntil(trainer, experiment, until));
        }
    }

    /** The class's run, built as a server builds it from its JSON. */
    private static Experiment classRun() throws Exception {
        SessionSpec spec = new SpecJson(dataset -> null).read(sinapsis.json.Json.mapper().readTree(ClassroomBench.SPEC));
        Table table = new CsvTableParser(Limits.defaults()).parse(spec.data().csv());
        return new Experiment(ProblemBuilder.build(table, spec.data().inputs(), spec.data().targets(),
                spec.training().loss().isClassification(), spec.network().output().units()),
                spec.network(), spec.training());
    }

    /** Trains the run again and again until {@code until} (System.nanoTime); the epochs trained. */
    private static long epochsUntil(Trainer trainer, Experiment experiment, long until) {
        long[] epochs = new long[1];
        while (System.nanoTime() < until) {
            trainer.train(experiment.job(), new TrainingControl() {
                @Override
                public void onEpoch(EpochStats stats) {
                    epochs[0]++;
                }

                @Override
                public boolean shouldStop() {
                    return System.nanoTime() >= until;
                }
            });
        }
        return epochs[0];
    }
}
