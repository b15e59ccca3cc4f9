package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import sinapsis.codegen.CodeSource;
import sinapsis.codegen.Language;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.Problem;
import sinapsis.data.TableSummary;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.Limits;
import sinapsis.model.SessionSpec;
import sinapsis.model.StartingValues;
import sinapsis.session.Session;
import sinapsis.session.Requester;
import sinapsis.session.SessionService;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.training.BackendInfo;
import sinapsis.training.RunOwner;
import sinapsis.training.Results;

/** The JSON API (v1): health, data sets, table preview, sessions (create, show, fork, run, rename, stop, delete, list), predictions, downloads. */
final class ApiController {
    private final SessionService sessions;
    private final BuiltInDatasets datasets;
    private final ObjectMapper json;
    private final SpecJson specs;
    private final SessionJson views;
    private final String version;
    private final long maxBodyBytes;
    private final Exports exports;
    private final StepJson steps;
    private final java.util.function.IntSupplier viewers;
    private ClassController classes;
    static final int MAX_LISTED = 200;

    /** Sessions made with a student token belong to its class; its teacher may act on them. */
    void classes(ClassController classController) {
        this.classes = classController;
    }

    ApiController(SessionService sessions, BuiltInDatasets datasets, ObjectMapper json, SpecJson specs,
                  SessionJson views, String version, long maxBodyBytes, java.util.function.IntSupplier viewers) {
        this.viewers = viewers;
        this.maxBodyBytes = maxBodyBytes;
        this.exports = new Exports(json);
        this.steps = new StepJson(json, views);
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
                .put("device", backend.device()).put("version", version).put("viewers", viewers.getAsInt())
                .put("heapUsedMb", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20));
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

    /** Sessions, data sets, previews, steps and the server's health and limits. */
    io.javalin.apibuilder.EndpointGroup routes(SessionSocket socket) {
        return () -> {
            get("/api/health", this::health);
            get("/api/limits", this::limits);
            get("/api/datasets", this::datasets);
            get("/api/defaults", this::defaults);
            post("/api/tables/preview", this::previewTable);
            post("/api/steps", this::step);
            post("/api/sessions", this::create);
            get("/api/sessions", this::list);
            get("/api/sessions/{id}", this::show);
            patch("/api/sessions/{id}", this::rename);
            io.javalin.apibuilder.ApiBuilder.delete("/api/sessions/{id}", this::delete);
            post("/api/sessions/{id}/predict", this::predict);
            post("/api/sessions/{id}/stop", this::stop);
            post("/api/sessions/{id}/run", this::run);
            post("/api/sessions/{id}/fork", this::fork);
            get("/api/sessions/{id}/history.csv", this::historyCsv);
            get("/api/sessions/{id}/history.json", this::historyJson);
            get("/api/sessions/{id}/spec.json", this::specFile);
            get("/api/sessions/{id}/data.csv", this::dataCsv);
            get("/api/sessions/{id}/model.zip", this::modelZip);
            get("/api/sessions/{id}/code/{language}", this::code);
            get("/api/sessions/{id}/training-data.csv", this::trainingData);
            ws("/ws/sessions/{id}", socket::configure);
        };
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
            if (dataset.images()) {
                imageSet(node, dataset);
            }
            if (dataset.formula() != null) {
                node.put("formula", dataset.formula());
            }
            node.set("suggested", dataset.suggested());
            if (!dataset.images()) {
                node.put("csv", dataset.csv());
            }
        }
        ctx.json(list);
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

    /** An image set's sizes and class names, and for Fashion-MNIST whether it is here yet. */
    private void imageSet(ObjectNode node, BuiltInDataset dataset) {
        ObjectNode images = node.putObject("images");
        if (dataset.trainingRows() > 0) {
            images.put("trainingRows", dataset.trainingRows());
        }
        int classes;
        if (dataset.id().equals(sinapsis.data.ShapeImages.ID)) {
            sinapsis.data.ImageSet shapes = datasets.images().shapes();
            images.put("available", true).put("side", shapes.side()).put("train", shapes.trainCount())
                    .put("test", shapes.testCount());
            classes = shapes.classCount();
        } else {
            sinapsis.data.ImageSets.Status status = datasets.images().fashionStatus();
            images.put("available", status.state() == sinapsis.data.ImageSets.State.AVAILABLE)
                    .put("state", status.state().name().toLowerCase(java.util.Locale.ROOT))
                    .put("canDownload", datasets.images().canDownload()).put("side", sinapsis.data.FashionMnist.SIDE)
                    .put("train", sinapsis.data.FashionMnist.TRAIN_IMAGES_COUNT)
                    .put("test", sinapsis.data.FashionMnist.TEST_IMAGES_COUNT);
            classes = sinapsis.data.FashionMnist.CLASSES;
        }
        ObjectNode names = images.putObject("classNames");
        for (var locale : Messages.SUPPORTED) {
            ArrayNode list = names.putArray(locale.getLanguage());
            for (int c = 0; c < classes; c++) {
                list.add(Messages.get(locale, "dataset." + dataset.id() + ".class." + c));
            }
        }
    }

    void previewTable(Context ctx) {
        JsonNode body = body(ctx);
        JsonNode csv = body.get("csv");
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
        ObjectNode body = (ObjectNode) body(ctx).deepCopy();
        JsonNode step = body.remove("step");
        if (step != null && !step.canConvertToInt()) {
            throw new InvalidSpecException("step", "error.notInteger", step.toString());
        }
        ctx.json(steps.write(sessions.step(specs.read(body), step == null ? 0 : step.asInt())));
    }

    /** A new session; with a student token it belongs to the student's class, under its locked fields. */
    void create(Context ctx) {
        JsonNode body = body(ctx);
        String name = givenName(body);
        SessionSpec spec = specs.read(withoutName(body));
        Optional<StoredStudent> student = classes.student(ctx);
        if (student.isPresent()) {
            classes.checkLocks(student.get(), spec);
            classes.checkCanCreate(student.get());
        }
        SessionService.Created created = sessions.create(spec,
                student.map(s -> new RunOwner(s.classCode(), s.id())).orElse(null), requester(ctx, student),
                name != null ? name : defaultName(Languages.of(ctx), spec, System.currentTimeMillis()));
        student.ifPresent(s -> classes.assign(created.session(), s));
        created(ctx, created);
    }

    /** A copy of the session's data and spec, owned by the caller and not started (it opens in the editor). */
    void fork(Context ctx) {
        Optional<StoredStudent> student = classes.student(ctx);
        student.ifPresent(classes::checkCanCreate);
        Session source = session(ctx);
        SessionService.Created created = sessions.fork(source, requester(ctx, student), copyName(ctx, source));
        student.ifPresent(s -> classes.assign(created.session(), s)); // a student's fork belongs to their class
        created(ctx, created);
    }

    /** The {@code name} a new session's request gives beside its spec, or null. */
    private static String givenName(JsonNode body) {
        JsonNode name = body == null ? null : body.get("name");
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual()) {
            throw new InvalidSpecException("name", "error.notText");
        }
        return name.asText();
    }

    private static JsonNode withoutName(JsonNode body) {
        if (body instanceof ObjectNode object && object.has("name")) {
            ObjectNode copy = object.deepCopy();
            copy.remove("name");
            return copy;
        }
        return body;
    }

    /**
     * "Espirales · 1/12/26, 22:41": a new session's name when its request gives none, its data set
     * (or "pasted table") and when it was made, in the request's language and the server's time zone.
     */
    static String defaultName(java.util.Locale locale, SessionSpec spec, long createdAt) {
        String dataset = spec.data().dataset();
        String data = Messages.get(locale, dataset != null ? "dataset." + dataset + ".name" : "session.pastedTable");
        String when = java.time.format.DateTimeFormatter.ofLocalizedDateTime(java.time.format.FormatStyle.SHORT)
                .withLocale(locale).withZone(java.time.ZoneId.systemDefault())
                .format(java.time.Instant.ofEpochMilli(createdAt));
        return fitName(data + " · " + when);
    }

    /** A name cut to {@link SessionService#MAX_NAME_LENGTH} with an ellipsis. */
    static String fitName(String name) {
        return name.length() <= SessionService.MAX_NAME_LENGTH ? name
                : name.substring(0, SessionService.MAX_NAME_LENGTH - 1) + "…";
    }

    /** "Copia de …" in the request's language: the source's name, else its data set's, else "untitled". */
    private static String copyName(Context ctx, Session source) {
        java.util.Locale locale = Languages.of(ctx);
        String dataset = source.spec().data().dataset();
        String base = source.name() != null ? source.name()
                : dataset != null ? Messages.get(locale, "dataset." + dataset + ".name")
                : Messages.get(locale, "session.untitled");
        return fitName(Messages.get(locale, "session.copyName", base));
    }

    /** Who a request counts against: the student whose token it carries, else its address. */
    private static Requester requester(Context ctx, Optional<StoredStudent> student) {
        return student.map(s -> Requester.student(s.id(), s.classCode())).orElseGet(() -> Requester.address(ctx.ip()));
    }

    private void created(Context ctx, SessionService.Created created) {
        Session session = created.session();
        Ownership.grant(ctx, session.id(), created.ownerToken());
        ctx.status(201).json(json.createObjectNode().put("id", session.id()).put("url", "/s/" + session.id())
                .put("ownerToken", created.ownerToken()).put("status", session.run().status().id()));
    }

    void show(Context ctx) {
        Session session = session(ctx);
        boolean withHistory = !"false".equals(ctx.queryParam("history"));
        ctx.json(views.session(session, sessions.queuePosition(session), Languages.of(ctx), withHistory)
                .put("wait", sessions.estimatedWaitSeconds(session))
                .put("owner", sessions.isOwner(session, Ownership.token(ctx))));
    }

    /** Owner only: a new run of the session, with the spec in the body (a draft edited in the editor) or the same spec. */
    void run(Context ctx) {
        Session session = owned(ctx);
        JsonNode body = optionalBody(ctx);
        SessionSpec spec = body == null ? null : specs.read(body);
        Optional<StoredStudent> student = classes.studentOfSession(session.id());
        if (student.isPresent()) { // a class's session trains under the class's locks and its student's share
            classes.checkLocks(student.get(), spec != null ? spec : session.spec());
            session.scheduleAs(new RunOwner(student.get().classCode(), student.get().id()));
        }
        sessions.rerun(session, spec, requester(ctx, student.isPresent() ? student : classes.student(ctx)));
        ctx.json(json.createObjectNode().put("id", session.id()).put("status", session.run().status().id()));
    }

    /** Owner only: {@code {"name": "…"}}; an empty name clears it. */
    void rename(Context ctx) {
        Session session = owned(ctx);
        JsonNode name = body(ctx).get("name");
        if (name == null || !(name.isTextual() || name.isNull())) {
            throw new InvalidSpecException("name", "error.required");
        }
        sessions.rename(session, name.isNull() ? null : name.asText());
        ctx.json(json.createObjectNode().put("id", session.id()).put("name", session.name()));
    }

    /** Owner only: stops the run if it is going and deletes the session with its history. */
    void delete(Context ctx) {
        Session session = owned(ctx);
        sessions.delete(session);
        Ownership.revoke(ctx, session.id());
        ctx.status(204);
    }

    /** {@code GET /api/sessions?ids=a,b,c}: "My sessions" (the ids this browser remembers), newest first. */
    void list(Context ctx) {
        String param = ctx.queryParam("ids");
        List<String> ids = param == null || param.isBlank() ? List.of()
                : java.util.Arrays.stream(param.split(",")).map(String::trim).filter(id -> !id.isEmpty())
                .distinct().toList();
        if (ids.size() > MAX_LISTED) {
            throw new InvalidSpecException("ids", "error.limit", ids.size(), MAX_LISTED);
        }
        ArrayNode list = json.createArrayNode();
        sessions.listings(ids).forEach(listing -> list.add(views.listing(listing)));
        ctx.json(list);
    }

    void historyCsv(Context ctx) {
        Session session = session(ctx);
        attachment(ctx, session, "history.csv", "text/csv; charset=utf-8");
        ctx.result(Exports.historyCsv(session.run().history()));
    }

    void historyJson(Context ctx) {
        Session session = session(ctx);
        attachment(ctx, session, "history.json", "application/json");
        ctx.result(exports.historyJson(session.run().history()).toString());
    }

    void specFile(Context ctx) {
        Session session = session(ctx);
        attachment(ctx, session, "spec.json", "application/json");
        ctx.result(specs.write(session.spec(), true).toPrettyString());
    }

    void dataCsv(Context ctx) {
        Session session = session(ctx);
        attachment(ctx, session, "data.csv", "text/csv; charset=utf-8");
        boolean imageSet = session.spec().data().isBuiltIn() && datasets.find(session.spec().data().dataset())
                .map(BuiltInDataset::images).orElse(false);
        // an image set is not stored as text: its images as this session used them, in the CSV layout
        ctx.result(imageSet ? Exports.imageCsv(session.run().experiment().problem()) : sessions.csv(session));
    }

    private static void refuseImageNetworks(Session session) {
        if (session.spec().network().hasImageLayers()) {
            throw new InvalidSpecException("network", "error.imageNetworksNotExported");
        }
    }

    void modelZip(Context ctx) throws java.io.IOException {
        Session session = session(ctx);
        refuseImageNetworks(session);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        exports.modelZip(sessions, session, specs.write(session.spec(), true), bytes);
        attachment(ctx, session, "model.zip", "application/zip");
        ctx.result(bytes.toByteArray());
    }

    /**
     * The session as a Keras, PyTorch or DL4J program ({@code ?download} makes it a file). The data
     * is inline when small, else the program reads {@code training-data.csv} from {@link #trainingData}.
     */
    void code(Context ctx) {
        Session session = session(ctx);
        Language language = Language.of(ctx.pathParam("language")).orElseThrow(() -> new ApiError(404, "language",
                "error.unknownLanguage", Messages.echo(ctx.pathParam("language"), 40), Language.names()));
        if (language == Language.DL4J) { // image networks are exported to Keras and PyTorch
            refuseImageNetworks(session);
        }
        String base = ctx.scheme() + "://" + ctx.host();
        Problem problem = session.run().experiment().problem();
        String title = session.name() != null ? session.name() : "Sinapsis " + base + "/s/" + session.id();
        String code = language.write(new CodeSource(title, session.spec().network(), session.spec().training(),
                problem, base + "/api/sessions/" + session.id() + "/training-data.csv",
                SessionJson.classNames(session.spec().data().dataset(), problem.classes(), Languages.of(ctx))));
        ctx.contentType("text/plain; charset=utf-8");
        if (ctx.queryParam("download") != null) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + language.fileName() + "\"");
        }
        ctx.result(code);
    }

    /** The numbers the network trains on, comma-separated: the inputs, then the outputs (one-hot classes). */
    void trainingData(Context ctx) {
        Session session = session(ctx);
        attachment(ctx, session, "training-data.csv", "text/csv; charset=utf-8");
        Problem problem = session.run().experiment().problem();
        ctx.result(problem.inputShape().isImage() ? Exports.imageCsv(problem) : Exports.trainingDataCsv(problem));
    }

    private static void attachment(Context ctx, Session session, String file, String type) {
        ctx.contentType(type);
        ctx.header("Content-Disposition", "attachment; filename=\"sinapsis-" + session.id() + "-" + file + "\"");
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
                if (!row.get(c).isNumber() || !Double.isFinite(row.get(c).asDouble())) {
                    throw new InvalidSpecException("inputs", "error.notNumber", row.get(c).toString());
                }
                rows[r][c] = row.get(c).asDouble();
            }
        }
        double[][] outputs = sessions.predict(session, rows);
        for (int r = 0; r < outputs.length; r++) {
            for (double value : outputs[r]) {
                if (!Double.isFinite(value)) { // JSON has no number for it: say which row, not "Infinity"
                    throw new InvalidSpecException("inputs", "error.predictionNotFinite", r + 1);
                }
            }
        }
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
        Session session = owned(ctx);
        sessions.stop(session);
        ctx.json(json.createObjectNode().put("id", session.id()).put("status", session.run().status().id()));
    }

    private Session session(Context ctx) {
        return sessions.find(ctx.pathParam("id")).orElseThrow(ApiError::notFound);
    }

    /** The session, if the request proves it owns it; a 403 otherwise. */
    private Session owned(Context ctx) {
        Session session = session(ctx);
        if (!sessions.isOwner(session, Ownership.token(ctx)) && !classes.isTeacherOfSession(ctx, session.id())) {
            throw new ApiError(403, null, "error.notOwner");
        }
        return session;
    }

    /** The JSON body, or null when there is none. */
    private JsonNode optionalBody(Context ctx) {
        String length = ctx.header("Content-Length");
        if ("0".equals(length) || (length == null && ctx.header("Transfer-Encoding") == null)) {
            return null;
        }
        return body(ctx);
    }

    /** The JSON body, read with a cap so that a huge body (chunked or not) is refused, not buffered. */
    JsonNode body(Context ctx) {
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
            JsonNode node = sinapsis.json.Json.strictReader().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiError(400, null, "error.malformedJson");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new ApiError(400, null, "error.malformedJson");
        }
    }
}
