package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import sinapsis.challenge.ChallengeService;
import sinapsis.challenge.ChallengeService.Challenge;
import sinapsis.classroom.ClassService;
import sinapsis.json.SpecJson;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.SessionSpec;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.training.RunOwner;

/**
 * {@code /api/sessions}: create, show, fork, run, rename, stop, delete, list, predict, and the live
 * feed. A session made with a student token belongs to the student's class and trains under its
 * locked fields; the class's teacher may act on it as its owner.
 */
final class SessionController {
    static final int MAX_LISTED = 200;

    /** A session's status after a command. */
    record Status(String id, String status) {
    }

    record Renamed(String id, String name) {
    }

    private final SessionService sessions;
    private final ClassService classes;
    private final ChallengeService challenges;
    private final ClassTokens classTokens;
    private final SessionAccess access;
    private final SpecJson specs;
    private final SessionJson views;
    private final Bodies bodies;

    SessionController(SessionService sessions, ChallengeService challenges, ClassTokens classTokens, SpecJson specs,
                      SessionJson views, Bodies bodies) {
        this.sessions = sessions;
        this.classes = challenges.classes();
        this.challenges = challenges;
        this.classTokens = classTokens;
        this.access = new SessionAccess(sessions, classTokens);
        this.specs = specs;
        this.views = views;
        this.bodies = bodies;
    }

    io.javalin.apibuilder.EndpointGroup routes(SessionSocket socket) {
        return () -> {
            post("/api/sessions", this::create);
            get("/api/sessions", this::list);
            get("/api/sessions/{id}", this::show);
            patch("/api/sessions/{id}", this::rename);
            io.javalin.apibuilder.ApiBuilder.delete("/api/sessions/{id}", this::delete);
            post("/api/sessions/{id}/predict", this::predict);
            post("/api/sessions/{id}/stop", this::stop);
            post("/api/sessions/{id}/pause", ctx -> control(ctx, sessions::pause));
            post("/api/sessions/{id}/resume", ctx -> control(ctx, sessions::resume));
            post("/api/sessions/{id}/step", ctx -> control(ctx, sessions::step));
            get("/api/sessions/{id}/surface", this::surface);
            post("/api/sessions/{id}/run", this::run);
            post("/api/sessions/{id}/fork", this::fork);
            // <id>, not {id}: an id with an encoded slash reaches the socket, which says it is unknown
            // (with {id} it matched no handler after the upgrade, and Javalin failed on it)
            ws("/ws/sessions/<id>", socket::configure);
        };
    }

    /**
     * A spec (and an optional {@code name}) → a new session, queued to train. With {@code challenge}
     * (a student's only) it is an attempt at that challenge of their class, under its rules.
     */
    void create(Context ctx) {
        JsonNode body = bodies.object(ctx);
        String name = givenText(body, "name");
        String challengeId = givenText(body, "challenge");
        SessionSpec spec = specs.read(without(body, "name", "challenge"));
        Optional<StoredStudent> student = classTokens.student(ctx);
        String shownName = name != null ? name : SessionNames.byDefault(Languages.of(ctx), spec,
                System.currentTimeMillis());
        if (challengeId != null) {
            StoredStudent s = student.orElseThrow(() -> new ApiError(403, "challenge", "error.challengeStudentsOnly"));
            Challenge challenge = challenges.find(s.classCode(), challengeId).filter(c -> !c.state().equals("draft"))
                    .orElseThrow(() -> new InvalidSpecException("challenge", "error.unknownChallenge",
                            Messages.echo(challengeId, 64)));
            classes.checkCanCreate(s);
            SessionService.Created[] created = new SessionService.Created[1];
            challenges.attempt(challenge, s, spec, () -> {
                created[0] = sessions.create(spec, owner(s), SessionAccess.requester(ctx, student), shownName);
                classes.assign(created[0].session(), s);
                return created[0].session();
            });
            created(ctx, created[0]);
            return;
        }
        student.ifPresent(s -> {
            classes.checkLocks(s, spec);
            classes.checkCanCreate(s);
        });
        SessionService.Created created = sessions.create(spec, student.map(SessionController::owner).orElse(null),
                SessionAccess.requester(ctx, student), shownName);
        student.ifPresent(s -> classes.assign(created.session(), s));
        created(ctx, created);
    }

    /**
     * A copy of the session's data and spec, owned by the caller and not started (it opens in the
     * editor). A student's copy of a session on a challenge of their class is on it too: its run is a new attempt.
     */
    void fork(Context ctx) {
        Optional<StoredStudent> student = classTokens.student(ctx);
        student.ifPresent(classes::checkCanCreate);
        Session source = access.find(ctx);
        SessionService.Created created = sessions.fork(source, SessionAccess.requester(ctx, student),
                SessionNames.copy(Languages.of(ctx), source));
        student.ifPresent(s -> classes.assign(created.session(), s)); // a student's fork belongs to their class
        student.ifPresent(s -> challenges.ofSession(source.id())
                .filter(c -> c.row().classCode().equals(s.classCode()))
                .ifPresent(c -> challenges.copied(c, created.session())));
        created(ctx, created);
    }

    private static RunOwner owner(StoredStudent student) {
        return new RunOwner(student.classCode(), student.id());
    }

    /** A text field a new session's request gives beside its spec ({@code name}, {@code challenge}), or null. */
    private static String givenText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidSpecException(field, "error.notText");
        }
        return value.asText();
    }

    private static JsonNode without(JsonNode body, String... fields) {
        if (body instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            copy.remove(List.of(fields));
            return copy;
        }
        return body;
    }

    private static void created(Context ctx, SessionService.Created created) {
        Session session = created.session();
        Ownership.grant(ctx, session.id(), created.ownerToken());
        ctx.status(201).json(new Created(session.id(), "/s/" + session.id(), created.ownerToken(),
                session.run().status().id()));
    }

    /** The session with its history so far ({@code ?history=false} leaves it out). */
    void show(Context ctx) {
        Session session = access.find(ctx);
        boolean withHistory = !"false".equals(ctx.queryParam("history"));
        ctx.json(views.session(session, sessions.queuePosition(session), Languages.of(ctx), withHistory,
                sessions.estimatedWaitSeconds(session), sessions.isOwner(session, Ownership.token(ctx))));
    }

    /** Owner only: a new run of the session, with the spec in the body (a draft edited in the editor) or the same spec. */
    void run(Context ctx) {
        Session session = access.owned(ctx);
        JsonNode body = bodies.optionalObject(ctx);
        SessionSpec spec = body == null ? null : specs.read(body);
        Optional<StoredStudent> student = classes.studentOfSession(session.id());
        Optional<Challenge> challenge = challenges.ofSession(session.id());
        if (challenge.isPresent()) { // a new attempt: its student's own, under the challenge's rules
            // the student who owns it, not their teacher: an attempt is the student's own work
            StoredStudent s = student.filter(st -> sessions.isOwner(session, Ownership.token(ctx)))
                    .orElseThrow(() -> new ApiError(403, "challenge", "error.challengeStudentsOnly"));
            challenges.attemptAgain(challenge.get(), s, session, spec != null ? spec : session.spec(), () -> {
                session.scheduleAs(owner(s));
                sessions.rerun(session, spec, SessionAccess.requester(ctx, Optional.of(s)));
                return session;
            });
            ctx.json(new Status(session.id(), session.run().status().id()));
            return;
        }
        student.ifPresent(s -> { // a class's session trains under the class's locks and its student's share
            classes.checkLocks(s, spec != null ? spec : session.spec());
            session.scheduleAs(owner(s));
        });
        sessions.rerun(session, spec,
                SessionAccess.requester(ctx, student.isPresent() ? student : classTokens.student(ctx)));
        ctx.json(new Status(session.id(), session.run().status().id()));
    }

    /** Owner only: {@code {"name": "…"}}; an empty name clears it. */
    void rename(Context ctx) {
        Session session = access.owned(ctx);
        JsonNode name = bodies.object(ctx).get("name");
        if (name == null || !(name.isTextual() || name.isNull())) {
            throw new InvalidSpecException("name", "error.required");
        }
        sessions.rename(session, name.isNull() ? null : name.asText());
        ctx.json(new Renamed(session.id(), session.name()));
    }

    /** Owner only: stops the run if it is going and deletes the session with its history. */
    void delete(Context ctx) {
        Session session = access.owned(ctx);
        if (challenges.holdsAttempt(session.id())) { // the gradebook links to it
            throw new sinapsis.session.SessionStateException("error.attemptNotDeletable");
        }
        sessions.delete(session);
        Ownership.revoke(ctx, session.id());
        ctx.status(204);
    }

    /** {@code GET /api/sessions?ids=a,b,c}: "My sessions" (the ids this browser remembers), newest first. */
    void list(Context ctx) {
        List<String> ids = ids(ctx.queryParam("ids"), MAX_LISTED);
        ctx.json(sessions.listings(ids).stream().map(SessionJson::listing).toList());
    }

    /** {@code a,b,c} as distinct ids, at most {@code max}. */
    static List<String> ids(String param, int max) {
        List<String> ids = param == null || param.isBlank() ? List.of()
                : Arrays.stream(param.split(",")).map(String::strip).filter(id -> !id.isEmpty()).distinct().toList();
        if (ids.size() > max) {
            throw new InvalidSpecException("ids", "error.limit", ids.size(), max);
        }
        return ids;
    }

    void predict(Context ctx) {
        Session session = access.find(ctx);
        double[][] outputs = sessions.predict(session, Predictions.rows(bodies.object(ctx)));
        ctx.json(Predictions.Answer.of(outputs, session.run().experiment().problem().classes()));
    }

    /** {@code GET …/surface?x=&y=&size=&units=&at.<input>=}: what the model answers over a grid (or a curve). */
    void surface(Context ctx) {
        Session session = access.find(ctx);
        ctx.json(sessions.surface(session, SurfaceQuery.of(ctx.queryParamMap())).answer());
    }

    /** Owner only: pause, resume or step; the status as it is now (a pause takes effect after the epoch under way). */
    private void control(Context ctx, java.util.function.Consumer<Session> action) {
        Session session = access.owned(ctx);
        action.accept(session);
        ctx.json(new Status(session.id(), session.run().status().id()));
    }

    void stop(Context ctx) {
        Session session = access.owned(ctx);
        sessions.stop(session);
        ctx.json(new Status(session.id(), session.run().status().id()));
    }
}
