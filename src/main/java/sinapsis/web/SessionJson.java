package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sinapsis.data.Problem;
import sinapsis.data.Table.TextCell;
import sinapsis.data.TableSummary;
import sinapsis.json.SpecJson;
import sinapsis.session.Session;
import sinapsis.store.SessionListing;
import sinapsis.training.EarlyStop;
import sinapsis.training.EpochEvent;
import sinapsis.training.Equation;
import sinapsis.training.Experiment;
import sinapsis.training.LayerWeights;
import sinapsis.training.Results;
import sinapsis.training.SummaryRow;
import sinapsis.training.TrainingResult;
import sinapsis.training.TrainingRun;

/**
 * A session as the API shows it — status, spec, data summary, timestamps, history and result —
 * as records the one mapper writes: each record is the shape of an answer, field by field. An
 * {@link EpochEvent} is written as it is ({@code seq, epoch, loss, valLoss?, metrics}).
 */
final class SessionJson {
    /** Up to this many rows, the data's points come along for the scatter plot. */
    static final int MAX_POINTS = 5000;

    /** {@code GET /api/sessions/{id}}. */
    record SessionView(String id, String url, String name, String forkedFrom, String status, int queuePosition,
                       int epochs, JsonNode spec, DataView data, SummaryView summary, long createdAt, Long startedAt,
                       Long finishedAt, @JsonInclude(Include.NON_NULL) ErrorView error,
                       @JsonInclude(Include.NON_NULL) List<EpochEvent> history,
                       @JsonInclude(Include.NON_NULL) ResultView result,
                       @JsonProperty("wait") long waitSeconds, boolean owner) {
    }

    record ErrorView(String message) {
    }

    /** Keras's model.summary(): layers with output shape and parameter count, and the totals. */
    record SummaryView(List<SummaryRow> layers, long totalParameters, long trainableParameters,
                       long nonTrainableParameters) {
        static SummaryView of(List<SummaryRow> rows, long totalParameters) {
            return new SummaryView(rows, totalParameters, totalParameters, 0);
        }
    }

    /** A table's columns, which are numbers, distinct values, text cells in columns of numbers, first rows. */
    record TableView(List<String> columns, int rows, boolean decimalComma, List<Boolean> numeric,
                     List<Integer> distinct, List<List<TextCell>> strayText, List<List<String>> preview) {
        static TableView of(TableSummary table) {
            return new TableView(table.columns(), table.rows(), table.decimalComma(), table.numeric(),
                    table.distinct(), table.strayText(), table.preview());
        }
    }

    /** The session's table and what the network makes of it; the points themselves when there are few. */
    record DataView(@JsonUnwrapped TableView table, List<String> inputs,
                    @JsonInclude(Include.NON_EMPTY) List<String> features, List<String> targets, List<String> classes,
                    List<String> classNames, List<String> outputs, String task, int trainRows, int validationRows,
                    int testRows, @JsonInclude(Include.NON_NULL) ImageView image,
                    @JsonInclude(Include.NON_NULL) double[][] x, @JsonInclude(Include.NON_NULL) double[][] y) {
    }

    record ImageView(int height, int width, int channels) {
    }

    /** The trained network: weights (Dense networks), metrics, predictions, and what the run ended with. */
    record ResultView(List<LayerWeights> weights, SummaryView summary, Map<String, Double> metrics,
                      @JsonInclude(Include.NON_NULL) double[][] predictions,
                      @JsonInclude(Include.NON_NULL) int[][] confusionMatrix,
                      @JsonInclude(Include.NON_NULL) Equation equation,
                      @JsonInclude(Include.NON_NULL) EarlyStop earlyStop, int epochs, long trainingMillis) {
    }

    /** One line of "My sessions". */
    record ListingView(String id, String url, String name, String status, String dataset, long createdAt,
                       long epochs, Double finalLoss, double[] curve) {
    }

    private final SpecJson specs;

    SessionJson(SpecJson specs) {
        this.specs = specs;
    }

    /** @param withHistory false leaves {@code history} out (the page streams it over the WebSocket) */
    SessionView session(Session session, int queuePosition, Locale locale, boolean withHistory, long wait,
                        boolean owner) {
        TrainingRun run = session.run();
        Experiment experiment = run.experiment();
        return new SessionView(session.id(), "/s/" + session.id(), session.name(), session.forkedFrom(),
                run.status().id(), queuePosition, session.spec().training().epochs(), specs.write(session.spec()),
                data(session, experiment.problem(), locale), SummaryView.of(Results.summary(experiment),
                experiment.network().parameterCount(experiment.problem().inputShape())), session.createdAt(),
                time(run.startedAt()), time(run.finishedAt()),
                run.failure() == null ? null : new ErrorView(Messages.get(locale, run.failure())),
                withHistory ? run.history() : null, run.result() == null ? null : result(run.result(),
                experiment.problem()), wait, owner);
    }

    private static Long time(long millis) {
        return millis > 0 ? millis : null;
    }

    /** What each class is ("Camiseta/top" for Fashion-MNIST's 0) in the reader's language; a pasted table's own labels. */
    static List<String> classNames(String dataset, List<String> classes, Locale locale) {
        return classes.stream().map(label -> {
            String key = "dataset." + dataset + ".class." + label;
            String name = dataset == null ? key : Messages.get(locale, key);
            return name.equals(key) ? label : name;
        }).toList();
    }

    private static DataView data(Session session, Problem problem, Locale locale) {
        boolean image = problem.inputShape().isImage();
        boolean points = !image && problem.rows() <= MAX_POINTS;
        int trainRows = session.run().experiment().trainRows();
        List<String> names = problem.inputNames();
        return new DataView(TableView.of(session.table()), problem.rawInputNames(),
                names.subList(problem.rawInputNames().size(), names.size()), problem.targetNames(),
                problem.classes(), classNames(session.spec().data().dataset(), problem.classes(), locale),
                problem.outputNames(), problem.isClassification() ? "classification" : "regression", trainRows,
                problem.fitRows() - trainRows, problem.testRows(), image ? new ImageView(problem.inputShape().height(),
                problem.inputShape().width(), problem.inputShape().channels()) : null,
                points ? problem.x() : null, points ? problem.y() : null);
    }

    static ListingView listing(SessionListing listing) {
        return new ListingView(listing.id(), "/s/" + listing.id(), listing.name(), listing.status(), listing.dataset(),
                listing.createdAt(), listing.epochCount(), listing.finalLoss(), listing.curve());
    }

    private static ResultView result(TrainingResult result, Problem problem) {
        boolean image = problem.inputShape().isImage();
        Map<String, Double> metrics = new LinkedHashMap<>();
        result.metrics().forEach((name, value) -> {
            if (Double.isFinite(value)) { // JSON has no number for NaN
                metrics.put(name, value);
            }
        });
        // an image network's thousands of kernel values are in the model download, not here
        return new ResultView(image ? List.of() : result.weights(),
                SummaryView.of(result.summary(), result.totalParameters()), metrics,
                problem.rows() <= MAX_POINTS && !image ? result.predictions() : null, result.confusionMatrix(),
                result.equation(), result.earlyStop(), result.epochs(), result.trainingMillis());
    }
}
