package sinapsis.session;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.CsvTableParser;
import sinapsis.data.Problem;
import sinapsis.data.ProblemBuilder;
import sinapsis.data.Table;
import sinapsis.data.TableSummary;
import sinapsis.model.Activation;
import sinapsis.model.DataSpec;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.LayerSpec;
import sinapsis.model.Limits;
import sinapsis.model.LossKind;
import sinapsis.model.SessionSpec;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingService;

/** Creates sessions from specs (resolving and checking their data), finds, stops and predicts with them. */
public final class SessionService {
    private final BuiltInDatasets datasets;
    private final CsvTableParser parser;
    private final Limits limits;
    private final TrainingService training;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public SessionService(BuiltInDatasets datasets, Limits limits, TrainingService training) {
        this.datasets = datasets;
        this.parser = new CsvTableParser(limits);
        this.limits = limits;
        this.training = training;
    }

    public Limits limits() {
        return limits;
    }

    public TrainingService training() {
        return training;
    }

    /** Parses a pasted table, as the editor's preview shows it. */
    public Table parseTable(String csv) {
        return parser.parse(csv);
    }

    /** Validates the spec against its data and queues the session; refuses with an {@link InvalidSpecException}. */
    public Session create(SessionSpec spec) {
        Table table = table(spec.data());
        Experiment experiment = experiment(spec, table);
        Session session = new Session(SessionIds.next(), spec, TableSummary.of(table), training.submit(experiment),
                System.currentTimeMillis());
        sessions.put(session.id(), session);
        return session;
    }

    public Optional<Session> find(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    public void stop(Session session) {
        training.stop(session.run());
    }

    public int queuePosition(Session session) {
        return training.queuePosition(session.run());
    }

    /** Predictions in original units; each row must have one value per input column. */
    public double[][] predict(Session session, double[][] inputs) {
        int expected = session.run().experiment().problem().inputCount();
        for (int r = 0; r < inputs.length; r++) {
            if (inputs[r].length != expected) {
                throw new InvalidSpecException("inputs", "error.predictWidth", r + 1, inputs[r].length, expected);
            }
            for (double value : inputs[r]) {
                if (!Double.isFinite(value)) {
                    throw new InvalidSpecException("inputs", "error.predictNotFinite", r + 1);
                }
            }
        }
        if (session.run().model() == null) {
            throw new InvalidSpecException("inputs", "error.notTrainedYet");
        }
        return session.run().predict(inputs);
    }

    private Table table(DataSpec data) {
        if (!data.isBuiltIn()) {
            return parser.parse(data.csv());
        }
        return dataset(data.dataset()).table();
    }

    public BuiltInDataset dataset(String id) {
        return datasets.find(id).orElseThrow(() -> new InvalidSpecException("data.dataset", "error.unknownDataset", id));
    }

    private Experiment experiment(SessionSpec spec, Table table) {
        DataSpec data = spec.data();
        List<String> inputs = data.inputs();
        List<String> targets = data.targets();
        if (data.isBuiltIn()) {
            BuiltInDataset dataset = dataset(data.dataset());
            inputs = inputs.isEmpty() ? dataset.inputs() : inputs;
            targets = targets.isEmpty() ? dataset.targets() : targets;
        }
        LossKind loss = spec.training().loss();
        checkOutputActivation(spec, loss);
        limits.check(spec.network(), spec.training(), inputs.size());
        Problem problem = ProblemBuilder.build(table, inputs, targets, loss.isClassification(),
                spec.network().output().units());
        return new Experiment(problem, spec.network(), spec.training());
    }

    /** Cross-entropy needs probabilities: softmax over several units, or sigmoid on one. */
    private static void checkOutputActivation(SessionSpec spec, LossKind loss) {
        if (!loss.isClassification()) {
            return;
        }
        LayerSpec output = spec.network().output();
        Activation needed = output.units() == 1 ? Activation.SIGMOID : Activation.SOFTMAX;
        if (output.activation() != needed) {
            throw new InvalidSpecException("network.layers[" + (spec.network().layers().size() - 1) + "].activation",
                    "error.crossEntropyActivation", output.activation().id(), needed.id(), output.units());
        }
    }
}
