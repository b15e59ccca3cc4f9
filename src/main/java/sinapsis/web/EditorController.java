package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sinapsis.data.PlaygroundSets;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import sinapsis.data.TableSummary;
import sinapsis.json.SpecJson;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.Limits;
import sinapsis.model.StartingValues;
import sinapsis.session.SessionService;
import sinapsis.training.BackendInfo;

/**
 * What the editor needs before there is a session — the data sets, the starting values, a pasted
 * table's preview, step-by-step gradient descent — and the server's health and limits.
 */
final class EditorController {
    /**
     * {@code GET /api/health}: this node — with the statements it has sent to its database so far
     * (before this answer's own) — and every node sharing its database.
     */
    record Health(String status, String backend, String device, String version, int viewers, long heapUsedMb,
                  String node, long databaseStatements, ClusterHealth cluster) {
    }

    /**
     * The live nodes (oldest first), the training slots they have together, the runs waiting for one,
     * the grid searches waiting for a node that trains.
     */
    record ClusterHealth(List<NodeHealth> nodes, int slots, int queued, int searchesQueued) {
        static ClusterHealth of(sinapsis.cluster.Cluster.View view) {
            List<NodeHealth> nodes = view.nodes().stream().map(n -> new NodeHealth(n.id(), n.id().equals(view.self()),
                    n.role(), n.host(), n.backend(), n.device(), n.slots(), n.runs(), n.version(), n.startedAt(),
                    n.seenAt())).toList();
            return new ClusterHealth(nodes, nodes.stream().mapToInt(NodeHealth::slots).sum(), view.queued(),
                    view.searchesQueued());
        }
    }

    /** One node: {@code runs} are the sessions it holds now (queued, running or paused there). */
    record NodeHealth(String id, boolean self, String role, String host, String backend, String device, int slots,
                      int runs, String version, long startedAt, long seenAt) {
    }

    /** {@code GET /api/limits}: every limit, then how many runs train at once. */
    record LimitsView(@JsonUnwrapped Limits limits, int workers) {
    }

    /** {@code GET /api/defaults}. */
    record Defaults(JsonNode training, JsonNode earlyStopping, Map<String, JsonNode> layers) {
    }

    private final SessionService sessions;
    private final SpecJson specs;
    private final DatasetJson datasets;
    private final Bodies bodies;
    private final String version;
    private final IntSupplier viewers;
    private final java.util.function.Supplier<sinapsis.cluster.Cluster.View> cluster;

    EditorController(SessionService sessions, SpecJson specs, DatasetJson datasets,
                     Bodies bodies, String version, IntSupplier viewers,
                     java.util.function.Supplier<sinapsis.cluster.Cluster.View> cluster) {
        this.cluster = cluster;
        this.sessions = sessions;
        this.specs = specs;
        this.datasets = datasets;
        this.bodies = bodies;
        this.version = version;
        this.viewers = viewers;
    }

    io.javalin.apibuilder.EndpointGroup routes() {
        return () -> {
            get("/api/health", this::health);
            get("/api/limits", this::limits);
            get("/api/datasets", this::datasets);
            get("/api/defaults", this::defaults);
            post("/api/tables/preview", this::previewTable);
            post("/api/steps", this::step);
            post("/api/datasets/generate", this::generate);
        };
    }

    void health(Context ctx) {
        BackendInfo backend = sessions.training().backend();
        Runtime runtime = Runtime.getRuntime();
        sinapsis.cluster.Cluster.View view = cluster.get();
        ctx.json(new Health("ok", backend.backend(), backend.device(), version, viewers.getAsInt(),
                (runtime.totalMemory() - runtime.freeMemory()) >> 20, view.self(), view.statements(),
                ClusterHealth.of(view)));
    }

    /** Every limit of this server, with its value (the about page shows them). */
    void limits(Context ctx) {
        ctx.json(new LimitsView(sessions.limits(), sessions.training().workerCount()));
    }

    void datasets(Context ctx) {
        ctx.json(datasets.all());
    }

    /** What the editor starts from: training settings, early stopping when ticked, a new layer of each kind. */
    void defaults(Context ctx) {
        Map<String, JsonNode> layers = new LinkedHashMap<>();
        StartingValues.newLayers().forEach((type, layer) -> layers.put(type.id(), specs.writeLayer(layer)));
        ctx.header("Cache-Control", "max-age=300");
        ctx.json(new Defaults(specs.writeTraining(StartingValues.training()),
                specs.writeEarlyStopping(StartingValues.earlyStopping()), layers));
    }

    void previewTable(Context ctx) {
        JsonNode csv = bodies.object(ctx).get("csv");
        if (csv == null || !csv.isTextual()) {
            throw new InvalidSpecException("data.csv", "error.required");
        }
        ctx.json(SessionJson.TableView.of(TableSummary.of(sessions.parseTable(csv.asText()))));
    }

    /**
     * Step-by-step gradient descent: the request is a spec plus {@code "step"} (0 = the start);
     * the answer is that step's numbers. Nothing is stored; the same request gives the same answer.
     */
    /** {@code POST /api/datasets/generate}: what to generate; absent fields take the playground's defaults. */
    record GenerateRequest(String kind, Integer points, Double noise, Long seed) {
        PlaygroundSets.Request request() {
            return PlaygroundSets.Request.of(kind, points == null ? 200 : points, noise == null ? 0.1 : noise,
                    seed == null ? 42 : seed);
        }
    }

    /** A two-input data set of the classic kinds (circle, XOR, blobs, spiral, plane, multi-Gaussian), as a table. */
    void generate(Context ctx) {
        ctx.json(PlaygroundSets.generate(bodies.as(ctx, GenerateRequest.class, true).request()));
    }

    void step(Context ctx) {
        ObjectNode body = (ObjectNode) bodies.object(ctx).deepCopy();
        JsonNode step = body.remove("step");
        if (step != null && !step.canConvertToInt()) {
            throw new InvalidSpecException("step", "error.notInteger", step.toString());
        }
        ctx.json(StepJson.write(sessions.step(specs.read(body), step == null ? 0 : step.asInt())));
    }
}
