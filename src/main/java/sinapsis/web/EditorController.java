package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
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
    /** {@code GET /api/health}. */
    record Health(String status, String backend, String device, String version, int viewers, long heapUsedMb) {
    }

    private final SessionService sessions;
    private final ObjectMapper json;
    private final SpecJson specs;
    private final DatasetJson datasets;
    private final SessionJson views;
    private final StepJson steps;
    private final Bodies bodies;
    private final String version;
    private final IntSupplier viewers;

    EditorController(SessionService sessions, ObjectMapper json, SpecJson specs, DatasetJson datasets,
                     SessionJson views, Bodies bodies, String version, IntSupplier viewers) {
        this.sessions = sessions;
        this.json = json;
        this.specs = specs;
        this.datasets = datasets;
        this.views = views;
        this.steps = new StepJson(json, views);
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
        };
    }

    void health(Context ctx) {
        BackendInfo backend = sessions.training().backend();
        Runtime runtime = Runtime.getRuntime();
        ctx.json(new Health("ok", backend.backend(), backend.device(), version, viewers.getAsInt(),
                (runtime.totalMemory() - runtime.freeMemory()) >> 20));
    }

    /** Every limit of this server, with its value (the about page shows them). */
    void limits(Context ctx) {
        Limits limits = sessions.limits();
        ctx.json(json.createObjectNode().put("maxPasteBytes", limits.maxPasteBytes()).put("maxRows", limits.maxRows())
                .put("maxColumns", limits.maxColumns()).put("maxParameters", limits.maxParameters())
                .put("maxEpochs", limits.maxEpochs()).put("maxCreatedPerMinute", limits.maxCreatedPerMinute())
                .put("maxQueued", limits.maxQueued()).put("maxSessionsPerStudent", limits.maxSessionsPerStudent())
                .put("maxRunningPerStudent", limits.maxRunningPerStudent())
                .put("maxQueuedPerStudent", limits.maxQueuedPerStudent())
                .put("maxBatchMegabytes", limits.maxBatchMegabytes())
                .put("maxRunsPerClient", limits.maxRunsPerClient())
                .put("maxSpaceMegabytes", limits.maxSpaceMegabytes())
                .put("workers", sessions.training().workerCount()));
    }

    void datasets(Context ctx) {
        ctx.json(datasets.all());
    }

    /** What the editor starts from: training settings, early stopping when ticked, a new layer of each kind. */
    void defaults(Context ctx) {
        ObjectNode node = json.createObjectNode();
        node.set("training", specs.writeTraining(StartingValues.training()));
        node.set("earlyStopping", specs.writeEarlyStopping(StartingValues.earlyStopping()));
        ObjectNode layers = node.putObject("layers");
        StartingValues.newLayers().forEach((type, layer) -> layers.set(type.id(), specs.writeLayer(layer)));
        ctx.header("Cache-Control", "max-age=300");
        ctx.json(node);
    }

    void previewTable(Context ctx) {
        JsonNode csv = bodies.object(ctx).get("csv");
        if (csv == null || !csv.isTextual()) {
            throw new InvalidSpecException("data.csv", "error.required");
        }
        ctx.json(views.table(TableSummary.of(sessions.parseTable(csv.asText()))));
    }

    /**
     * Step-by-step gradient descent: the request is a spec plus {@code "step"} (0 = the start);
     * the answer is that step's numbers. Nothing is stored; the same request gives the same answer.
     */
    void step(Context ctx) {
        ObjectNode body = (ObjectNode) bodies.object(ctx).deepCopy();
        JsonNode step = body.remove("step");
        if (step != null && !step.canConvertToInt()) {
            throw new InvalidSpecException("step", "error.notInteger", step.toString());
        }
        ctx.json(steps.write(sessions.step(specs.read(body), step == null ? 0 : step.asInt())));
    }
}
