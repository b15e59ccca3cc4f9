package sinapsis.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.TableSummary;
import sinapsis.model.InvalidSpecException;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.training.BackendInfo;
import sinapsis.training.Results;

/** The JSON API (v1): health, data sets, table preview, sessions, predictions, stop. */
final class ApiController {
    private final SessionService sessions;
    private final BuiltInDatasets datasets;
    private final ObjectMapper json;
    private final SpecJson specs;
    private final SessionJson views;
    private final String version;
    private final long maxBodyBytes;

    ApiController(SessionService sessions, BuiltInDatasets datasets, ObjectMapper json, SpecJson specs,
                  SessionJson views, String version, long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.sessions = sessions;
        this.datasets = datasets;
        this.json = json;
        this.specs = specs;
        this.views = views;
        this.version = version;
    }

    void health(Context ctx) {
        BackendInfo backend = sessions.training().backend();
        ctx.json(json.createObjectNode().put("status", "ok").put("backend", backend.backend())
                .put("device", backend.device()).put("version", version));
    }

    void datasets(Context ctx) {
        ArrayNode list = json.createArrayNode();
        for (BuiltInDataset dataset : datasets.all()) {
            ObjectNode node = list.addObject();
            node.put("id", dataset.id());
            ObjectNode name = node.putObject("name");
            ObjectNode description = node.putObject("description");
            for (var locale : Messages.SUPPORTED) {
                name.put(locale.getLanguage(), Messages.get(locale, "dataset." + dataset.id() + ".name"));
                description.put(locale.getLanguage(), Messages.get(locale, "dataset." + dataset.id() + ".description"));
            }
            node.put("task", dataset.task());
            node.put("synthetic", dataset.synthetic());
            dataset.inputs().forEach(node.putArray("inputs")::add);
            dataset.targets().forEach(node.putArray("targets")::add);
            node.put("rows", dataset.rows());
            if (dataset.formula() != null) {
                node.put("formula", dataset.formula());
            }
            node.set("suggested", dataset.suggested());
            node.put("csv", dataset.csv());
        }
        ctx.json(list);
    }

    void previewTable(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode csv = body.get("csv");
        if (csv == null || !csv.isTextual()) {
            throw new InvalidSpecException("data.csv", "error.required");
        }
        ctx.json(views.table(TableSummary.of(sessions.parseTable(csv.asText()))));
    }

    void create(Context ctx) {
        Session session = sessions.create(specs.read(body(ctx)));
        ctx.status(201).json(json.createObjectNode().put("id", session.id()).put("url", "/s/" + session.id())
                .put("status", session.run().status().id()));
    }

    void show(Context ctx) {
        Session session = session(ctx);
        boolean withHistory = !"false".equals(ctx.queryParam("history"));
        ctx.json(views.session(session, sessions.queuePosition(session), Languages.of(ctx), withHistory));
    }

    void predict(Context ctx) {
        Session session = session(ctx);
        JsonNode inputs = body(ctx).get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new InvalidSpecException("inputs", "error.predictShape");
        }
        if (inputs.size() > 10_000) {
            throw new InvalidSpecException("inputs", "error.limit", inputs.size(), 10_000);
        }
        double[][] rows = new double[inputs.size()][];
        for (int r = 0; r < rows.length; r++) {
            JsonNode row = inputs.get(r);
            if (!row.isArray()) {
                throw new InvalidSpecException("inputs", "error.predictShape");
            }
            rows[r] = new double[row.size()];
            for (int c = 0; c < row.size(); c++) {
                if (!row.get(c).isNumber()) {
                    throw new InvalidSpecException("inputs", "error.notNumber", row.get(c).toString());
                }
                rows[r][c] = row.get(c).asDouble();
            }
        }
        double[][] outputs = sessions.predict(session, rows);
        ObjectNode answer = json.createObjectNode();
        answer.set("outputs", views.matrix(outputs));
        List<String> classes = session.run().experiment().problem().classes();
        if (!classes.isEmpty()) {
            ArrayNode labels = answer.putArray("labels");
            for (double[] row : outputs) {
                labels.add(classes.get(Results.classIndex(row)));
            }
        }
        ctx.json(answer);
    }

    void stop(Context ctx) {
        Session session = session(ctx);
        sessions.stop(session);
        ctx.json(json.createObjectNode().put("id", session.id()).put("status", session.run().status().id()));
    }

    private Session session(Context ctx) {
        return sessions.find(ctx.pathParam("id")).orElseThrow(ApiError::notFound);
    }

    /** The JSON body, read with a cap so that a huge body (chunked or not) is refused, not buffered. */
    private JsonNode body(Context ctx) {
        byte[] bytes;
        try {
            bytes = ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        } catch (java.io.IOException e) {
            throw new ApiError(400, null, "error.malformedJson");
        }
        if (bytes.length > maxBodyBytes) {
            throw new ApiError(413, "data.csv", "error.bodyTooLarge", maxBodyBytes);
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiError(400, null, "error.malformedJson");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new ApiError(400, null, "error.malformedJson");
        }
    }
}
