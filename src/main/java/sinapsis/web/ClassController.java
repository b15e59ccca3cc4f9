package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.JoinThrottle;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;

/**
 * {@code /api/classes}: create a class, join it, the teacher's board, settings and stop-all, and
 * what a student sees. The teacher token opens the board and acts on every session of the class;
 * a student token makes sessions in the class, under its locked fields (see {@link ClassTokens}).
 * Neither token is ever sent to anyone but its holder. The rules are the classroom's.
 */
final class ClassController {
    private static final int JOIN_CODE_ECHO = 12;

    /** {@code POST /api/classes}: a name, and settings (see {@link sinapsis.classroom.ClassSettings}) or none. */
    record CreateRequest(String name, JsonNode settings) {
    }

    /** {@code POST /api/classes/{code}/join}: the student's display name. */
    record JoinRequest(String name) {
    }

    /** {@code POST /api/classes}' answer; the url is the teacher's secret link. */
    record Created(String code, String teacherToken, String url, String name) {
    }

    /**
     * {@code POST /api/classes/{code}/join}'s answer; {@code landing} is where the student goes next:
     * the class's newest open challenge, else the class's page.
     */
    record Joined(String studentToken, String code, String className, String name, String landing) {
    }

    record Stopped(int stopped) {
    }

    private final ClassService classes;
    private final sinapsis.challenge.ChallengeService challenges;
    private final ClassTokens tokens;
    private final ClassJson views;
    private final Bodies bodies;

    ClassController(ClassService classes, sinapsis.challenge.ChallengeService challenges, ClassTokens tokens,
                    ClassJson views, Bodies bodies) {
        this.classes = classes;
        this.challenges = challenges;
        this.tokens = tokens;
        this.views = views;
        this.bodies = bodies;
    }

    /** Classes: create, join, the board and its live feed, settings, stop all, a student's view. */
    io.javalin.apibuilder.EndpointGroup routes(SnapshotSocket<StoredClass> boardSocket) {
        return () -> {
            post("/api/classes", this::create);
            post("/api/classes/{code}/join", this::join);
            get("/api/classes/{code}", this::show);
            patch("/api/classes/{code}", this::update);
            post("/api/classes/{code}/stop", this::stopAll);
            get("/api/classes/{code}/student", this::forStudent);
            ws("/ws/classes/<id>", boardSocket::configure);
        };
    }

    /** {@code {"name", "settings"?}} → {@code 201 {"code", "teacherToken", "url", "name"}}. */
    void create(Context ctx) {
        CreateRequest request = bodies.as(ctx, CreateRequest.class, true);
        ClassService.Created created = classes.create(request.name(), request.settings());
        ClassTokens.setCookie(ctx, ClassTokens.TEACHER_COOKIE, created.teacherToken());
        ctx.status(201).json(new Created(created.classroom().code(), created.teacherToken(),
                "/teach/" + created.teacherToken(), created.classroom().name()));
    }

    /**
     * A student joins with the class's code and a name. After wrong codes the answer waits (up to
     * 2 s) without holding one of the server's threads: the join runs once the wait is over.
     */
    void join(Context ctx) {
        String name = bodies.as(ctx, JoinRequest.class, false).name();
        String code = ctx.pathParam("code");
        long wait = classes.joinWait(ctx.ip());
        if (wait <= 0) {
            answerJoin(ctx, classes.joinNow(code, name, ctx.ip()));
            return;
        }
        String client = ctx.ip();
        ctx.future(() -> CompletableFuture.runAsync(() -> answerJoin(ctx, classes.joinNow(code, name, client)),
                CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS)));
    }

    private void answerJoin(Context ctx, ClassService.Joined joined) {
        ClassTokens.setCookie(ctx, ClassTokens.STUDENT_COOKIE, joined.studentToken());
        String code = joined.classroom().code();
        String landing = challenges.newestOpen(code).map(c -> "/classes/" + code + "/challenges/" + c.id())
                .orElse("/classes/" + code);
        ctx.status(201).json(new Joined(joined.studentToken(), code, joined.classroom().name(),
                joined.student().name(), landing));
    }

    /** Teacher only: the board — every student, their sessions, status and latest values. */
    void show(Context ctx) {
        ctx.json(views.board(taught(ctx)));
    }

    /** Teacher only: new settings (starting configuration, locked fields, leaderboard). */
    void update(Context ctx) {
        StoredClass classroom = taught(ctx);
        ctx.json(views.board(classes.updateSettings(classroom, bodies.object(ctx))));
    }

    /** Teacher only: stops every queued or running session of the class. */
    void stopAll(Context ctx) {
        ctx.json(new Stopped(classes.stopAll(taught(ctx))));
    }

    /** What a student of the class (or its teacher) may see. */
    void forStudent(Context ctx) {
        Optional<StoredStudent> requester = tokens.student(ctx);
        String teacherToken = tokens.teacherToken(ctx);
        StoredClass classroom = visible(ctx, c -> classes.isTeacher(c, teacherToken)
                || requester.filter(s -> s.classCode().equals(c.code())).isPresent());
        ctx.json(views.forStudent(classroom, requester.filter(s -> s.classCode().equals(classroom.code())),
                classes.isTeacher(classroom, teacherToken)));
    }

    /** The class a request's teacher token opens, if it is this one; else the same 404 as for no such class. */
    StoredClass taught(Context ctx) {
        String token = tokens.teacherToken(ctx);
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

    /** 429 with Retry-After for a client refused by the join throttle. */
    static void refused(JoinThrottle.RefusedException e, Context ctx) {
        ctx.header("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
}
