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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.JoinThrottle;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.SessionSpec;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.store.SessionListing;

/**
 * {@code /api/classes}: create a class, join it, the teacher's board, settings and stop-all, and the
 * leaderboard. The teacher token opens the board and acts on every session of the class; a student
 * token makes sessions in the class, under its locked fields. Neither token is ever sent to anyone
 * but its holder.
 */
final class ClassController {
    static final String TEACHER_COOKIE = "sinapsis_teacher";
    static final String STUDENT_COOKIE = "sinapsis_student";
    private static final Set<String> SETTINGS = Set.of("spec", "locked", "leaderboard");
    private static final Set<String> LOCKABLE_ROOTS = Set.of("data", "network", "training");
    private static final Set<String> CREATE_FIELDS = Set.of("name", "settings");
    private static final int JOIN_CODE_ECHO = 12;

    private final ClassService classes;
    private final ObjectMapper json;
    private final SpecJson specs;
    private final Function<Context, JsonNode> body;

    ClassController(ClassService classes, ObjectMapper json, SpecJson specs, Function<Context, JsonNode> body) {
        this.classes = classes;
        this.json = json;
        this.specs = specs;
        this.body = body;
    }

    /** {@code {"name", "settings"?}} → {@code 201 {"code","teacherToken","url"}}; the url is the teacher's secret link. */
    void create(Context ctx) {
        JsonNode request = body.apply(ctx);
        request.fieldNames().forEachRemaining(field -> {
            if (!CREATE_FIELDS.contains(field)) {
                throw new InvalidSpecException(field, "error.unknownField", field);
            }
        });
        JsonNode name = request.get("name");
        ObjectNode settings = settings(request.get("settings"));
        ClassService.Created created = classes.create(name == null || !name.isTextual() ? null : name.asText(),
                settings.toString());
        setCookie(ctx, TEACHER_COOKIE, created.teacherToken());
        ctx.status(201).json(json.createObjectNode().put("code", created.classroom().code())
                .put("teacherToken", created.teacherToken()).put("url", "/teach/" + created.teacherToken())
                .put("name", created.classroom().name()));
    }

    /** {@code {"name"}} → {@code {"studentToken", "code", "name"}}; wrong codes are throttled per client address. */
    /** Classes: create, join, the board and its live feed, settings, stop all, a student's view. */
    io.javalin.apibuilder.EndpointGroup routes(SnapshotSocket<StoredClass> boardSocket) {
        return () -> {
            post("/api/classes", this::create);
            post("/api/classes/{code}/join", this::join);
            get("/api/classes/{code}", this::show);
            patch("/api/classes/{code}", this::update);
            post("/api/classes/{code}/stop", this::stopAll);
            get("/api/classes/{code}/student", this::forStudent);
            ws("/ws/classes/{id}", boardSocket::configure);
        };
    }

    /**
     * A student joins with the class's code and a name. After wrong codes the answer waits (up to
     * 2 s) without holding one of the server's threads: the join runs once the wait is over.
     */
    void join(Context ctx) {
        JsonNode request = body.apply(ctx);
        JsonNode nameNode = request.get("name");
        String name = nameNode == null || !nameNode.isTextual() ? null : nameNode.asText();
        String code = ctx.pathParam("code");
        String client = ctx.ip();
        long wait = classes.joinWait(client);
        if (wait <= 0) {
            answerJoin(ctx, classes.joinNow(code, name, client));
            return;
        }
        java.util.concurrent.Executor later = java.util.concurrent.CompletableFuture.delayedExecutor(wait,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.future(() -> java.util.concurrent.CompletableFuture.runAsync(
                () -> answerJoin(ctx, classes.joinNow(code, name, client)), later));
    }

    private void answerJoin(Context ctx, ClassService.Joined joined) {
        setCookie(ctx, STUDENT_COOKIE, joined.studentToken());
        ctx.status(201).json(json.createObjectNode().put("studentToken", joined.studentToken())
                .put("code", joined.classroom().code()).put("className", joined.classroom().name())
                .put("name", joined.student().name()));
    }

    /** Teacher only: the board — every student, their sessions, status and latest values. */
    void show(Context ctx) {
        StoredClass classroom = taught(ctx);
        ctx.json(board(classroom));
    }

    /** Teacher only: new settings (starting configuration, locked fields, leaderboard). */
    void update(Context ctx) {
        StoredClass classroom = taught(ctx);
        JsonNode request = body.apply(ctx);
        ObjectNode merged = (ObjectNode) readSettings(classroom);
        request.fieldNames().forEachRemaining(field -> {
            if (!SETTINGS.contains(field)) {
                throw new InvalidSpecException(field, "error.unknownField", field);
            }
        });
        request.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        ObjectNode checked = settings(merged);
        classes.updateSettings(classroom, checked.toString());
        ctx.json(board(classes.find(classroom.code()).orElseThrow()));
    }

    /** Teacher only: stops every queued or running session of the class. */
    void stopAll(Context ctx) {
        StoredClass classroom = taught(ctx);
        ctx.json(json.createObjectNode().put("stopped", classes.stopAll(classroom)));
    }

    /**
     * What a student of the class (or its teacher) may see: the class's name, starting
     * configuration, locked fields, their own sessions, and the leaderboard when it is on.
     */
    void forStudent(Context ctx) {
        Optional<StoredStudent> requester = student(ctx);
        String teacherToken = teacherToken(ctx);
        StoredClass classroom = visible(ctx, c -> classes.isTeacher(c, teacherToken)
                || requester.filter(s -> s.classCode().equals(c.code())).isPresent());
        Optional<StoredStudent> student = requester.filter(s -> s.classCode().equals(classroom.code()));
        boolean teacher = classes.isTeacher(classroom, teacherToken);
        JsonNode settings = readSettings(classroom);
        ObjectNode node = json.createObjectNode().put("code", classroom.code()).put("name", classroom.name());
        node.set("spec", settings.get("spec"));
        node.set("locked", settings.get("locked"));
        boolean leaderboard = settings.path("leaderboard").asBoolean(false);
        node.put("leaderboard", leaderboard);
        student.ifPresent(s -> node.putObject("student").put("id", s.id()).put("name", s.name()));
        var rows = classes.board(classroom);
        if (student.isPresent()) {
            ArrayNode mine = node.putArray("sessions");
            rows.stream().filter(r -> r.student().id().equals(student.get().id()))
                    .forEach(r -> r.sessions().forEach(l -> mine.add(listing(l))));
        }
        if (leaderboard || teacher) {
            node.set("leaders", leaders(rows));
        }
        ctx.json(node);
    }

    /** The spec a student sends, refused with a 400 naming a locked field it changes. */
    void checkLocks(StoredStudent student, SessionSpec requested) {
        StoredClass classroom = classes.find(student.classCode()).orElseThrow(ClassController::notFound);
        JsonNode settings = readSettings(classroom);
        if (!settings.hasNonNull("spec") || !settings.path("locked").isArray()) {
            return;
        }
        ObjectNode wanted = specs.write(requested, true);
        ObjectNode start = specs.write(specs.read(settings.get("spec")), true);
        for (JsonNode locked : settings.get("locked")) {
            String path = locked.asText();
            String pointer = "/" + path.replace('.', '/').replaceAll("\\[(\\d+)]", "/$1");
            if (!wanted.at(pointer).equals(start.at(pointer))) {
                throw new InvalidSpecException(path, "error.lockedField", path);
            }
        }
    }

    /** The student who made a session, if one did. */
    Optional<StoredStudent> studentOfSession(String sessionId) {
        return classes.studentOfSession(sessionId);
    }

    void checkCanCreate(StoredStudent student) {
        classes.checkCanCreate(student);
    }

    void assign(sinapsis.session.Session session, StoredStudent student) {
        classes.assign(session, student);
    }

    /** The student a request's token (Bearer or the student cookie) belongs to, if any. */
    Optional<StoredStudent> student(Context ctx) {
        String bearer = Ownership.bearer(ctx);
        Optional<StoredStudent> byBearer = bearer == null ? Optional.empty() : classes.student(bearer);
        return byBearer.isPresent() ? byBearer : classes.student(ctx.cookie(STUDENT_COOKIE));
    }

    /** The token a request presents as a teacher: Bearer or the teacher cookie. */
    String teacherToken(Context ctx) {
        String bearer = Ownership.bearer(ctx);
        if (bearer != null && classes.classOfTeacher(bearer).isPresent()) {
            return bearer;
        }
        return ctx.cookie(TEACHER_COOKIE);
    }

    /** Whether the request comes from the teacher of the class the session was made in. */
    boolean isTeacherOfSession(Context ctx, String sessionId) {
        return classes.classOfTeacher(teacherToken(ctx)).map(c -> classes.belongsTo(sessionId, c)).orElse(false);
    }

    /** The class a request's teacher token opens, if it is this one; else the same 404 as for no such class. */
    StoredClass taught(Context ctx) {
        String token = teacherToken(ctx);
        return visible(ctx, c -> classes.isTeacher(c, token));
    }

    /**
     * The class of the path's code if the request may see it. Unknown and not-yours answer the same
     * 404, so codes cannot be told apart by probing; each such answer counts against the client in
     * the join throttle (a 429 past its limit).
     */
    private StoredClass visible(Context ctx, java.util.function.Predicate<StoredClass> mayView) {
        String code = ctx.pathParam(ctx.pathParamMap().containsKey("code") ? "code" : "id");
        return classes.visible(code, ctx.ip(), mayView).orElseThrow(() -> new ApiError(404, "code",
                "error.classNotVisible", Messages.echo(code, JOIN_CODE_ECHO)));
    }

    /** Before a teacher's board socket opens: only for the class's teacher, throttled like the API. */
    void checkBoardSocket(Context ctx) {
        taught(ctx);
    }

    ObjectNode board(StoredClass classroom) {
        ObjectNode node = json.createObjectNode().put("code", classroom.code()).put("name", classroom.name())
                .put("createdAt", classroom.createdAt());
        node.set("settings", readSettings(classroom));
        ArrayNode students = node.putArray("students");
        var rows = classes.board(classroom);
        for (ClassService.BoardRow row : rows) {
            ObjectNode student = students.addObject().put("id", row.student().id()).put("name", row.student().name())
                    .put("joinedAt", row.student().createdAt());
            ArrayNode list = student.putArray("sessions");
            row.sessions().forEach(l -> list.add(listing(l)));
        }
        node.set("leaders", leaders(rows));
        return node;
    }

    private ObjectNode listing(SessionListing l) {
        ObjectNode node = json.createObjectNode().put("id", l.id()).put("url", "/s/" + l.id()).put("name", l.name())
                .put("status", l.status()).put("dataset", l.dataset()).put("createdAt", l.createdAt())
                .put("epochs", l.epochCount());
        if (l.finalLoss() == null) {
            node.putNull("loss");
        } else {
            node.put("loss", l.finalLoss());
        }
        ObjectNode metrics = node.putObject("metrics");
        l.lastMetrics().forEach((k, v) -> {
            if (Double.isFinite(v) && !k.equals("w") && !k.equals("b")) {
                metrics.put(k, v);
            }
        });
        ArrayNode curve = node.putArray("curve");
        for (double v : l.curve()) {
            curve.add(v);
        }
        return node;
    }

    /**
     * Each student's best session by its last validation value: highest {@code val_accuracy} where
     * there is one, else lowest {@code val_loss}, else lowest loss; best first.
     */
    private ArrayNode leaders(java.util.List<ClassService.BoardRow> rows) {
        java.util.List<Leader> leaders = new java.util.ArrayList<>();
        for (ClassService.BoardRow row : rows) {
            Leader best = null;
            for (SessionListing l : row.sessions()) {
                Map<String, Double> m = l.lastMetrics();
                Leader candidate = m.containsKey("val_accuracy")
                        ? new Leader(row.student().name(), l.id(), "val_accuracy", m.get("val_accuracy"))
                        : m.containsKey("val_loss") ? new Leader(row.student().name(), l.id(), "val_loss", m.get("val_loss"))
                        : l.finalLoss() != null ? new Leader(row.student().name(), l.id(), "loss", l.finalLoss()) : null;
                if (candidate != null && Double.isFinite(candidate.value()) && (best == null || better(candidate, best))) {
                    best = candidate;
                }
            }
            if (best != null) {
                leaders.add(best);
            }
        }
        leaders.sort((a, b) -> better(a, b) ? -1 : better(b, a) ? 1 : 0);
        ArrayNode array = json.createArrayNode();
        leaders.forEach(l -> array.addObject().put("name", l.name()).put("sessionId", l.sessionId())
                .put("metric", l.metric()).put("value", l.value()));
        return array;
    }

    /** A student's best session on the leaderboard. */
    private record Leader(String name, String sessionId, String metric, double value) {
    }

    /** Accuracy beats losses and a validation loss beats a training loss; then the better value. */
    private static boolean better(Leader a, Leader b) {
        if (!a.metric().equals(b.metric())) {
            return rank(a.metric()) < rank(b.metric());
        }
        return a.metric().equals("val_accuracy") ? a.value() > b.value() : a.value() < b.value();
    }

    private static int rank(String metric) {
        return switch (metric) {
            case "val_accuracy" -> 0;
            case "val_loss" -> 1;
            default -> 2;
        };
    }

    /** Checks settings: a valid spec (or none), lockable field paths, a leaderboard flag. */
    private ObjectNode settings(JsonNode node) {
        ObjectNode settings = json.createObjectNode();
        if (node == null || node.isNull()) {
            settings.putNull("spec");
            settings.putArray("locked");
            settings.put("leaderboard", false);
            return settings;
        }
        if (!node.isObject()) {
            throw new InvalidSpecException("settings", "error.notObject");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!SETTINGS.contains(field)) {
                throw new InvalidSpecException("settings." + field, "error.unknownField", field);
            }
        });
        JsonNode spec = node.get("spec");
        if (spec != null && !spec.isNull()) {
            try {
                settings.set("spec", specs.write(specs.read(spec), true));
            } catch (InvalidSpecException e) {
                throw e.under("settings.spec");
            }
        } else {
            settings.putNull("spec");
        }
        ArrayNode locked = settings.putArray("locked");
        JsonNode lockedNode = node.get("locked");
        if (lockedNode != null && !lockedNode.isNull()) {
            if (!lockedNode.isArray()) {
                throw new InvalidSpecException("settings.locked", "error.notList");
            }
            if (lockedNode.size() > 0 && settings.get("spec").isNull()) {
                throw new InvalidSpecException("settings.locked", "error.lockWithoutSpec");
            }
            for (JsonNode path : lockedNode) {
                String text = path.asText("");
                if (!path.isTextual() || !LOCKABLE_ROOTS.contains(text.split("[.\\[]")[0])
                        || settings.get("spec").at("/" + text.replace('.', '/').replaceAll("\\[(\\d+)]", "/$1"))
                        .isMissingNode()) {
                    throw new InvalidSpecException("settings.locked", "error.unknownLockField", path.asText());
                }
                locked.add(text);
            }
        }
        JsonNode leaderboard = node.get("leaderboard");
        settings.put("leaderboard", leaderboard != null && leaderboard.asBoolean(false));
        return settings;
    }

    private JsonNode readSettings(StoredClass classroom) {
        try {
            return json.readTree(classroom.settings());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the settings of class " + classroom.code() + " are not JSON", e);
        }
    }

    /** An HttpOnly, SameSite=Lax cookie for the whole site (a class token is used on every page). */
    static void setCookie(Context ctx, String name, String value) {
        String secure = "https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : "";
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + (180 * 24 * 3600)
                + "; HttpOnly; SameSite=Lax" + secure);
    }

    static ApiError notFound() {
        return new ApiError(404, "code", "error.unknownClass", "");
    }

    /** 429 with Retry-After for a client refused by the join throttle. */
    static void refused(JoinThrottle.RefusedException e, Context ctx) {
        ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
}
