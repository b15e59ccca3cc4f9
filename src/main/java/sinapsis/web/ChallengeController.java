package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.post;

import io.javalin.http.Context;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import sinapsis.challenge.ChallengeService;
import sinapsis.challenge.ChallengeService.Challenge;
import sinapsis.classroom.ClassService;
import sinapsis.model.InvalidSpecException;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;

/**
 * {@code /api/classes/{code}/challenges}: the teacher creates, edits, opens and closes a class's
 * challenges and reads every student's standing and the gradebook; a student of the class reads the
 * challenges that are not drafts, with their own attempts only. A student on a teacher's endpoint
 * is a 403; anyone outside the class gets the class's 404. The rules are the challenge package's.
 */
final class ChallengeController {
    private static final int ECHO = 64;

    private final ChallengeService challenges;
    private final ClassService classes;
    private final ClassTokens tokens;
    private final Bodies bodies;
    private final String publicUrl;

    ChallengeController(ChallengeService challenges, ClassTokens tokens, Bodies bodies, String publicUrl) {
        this.challenges = challenges;
        this.classes = challenges.classes();
        this.tokens = tokens;
        this.bodies = bodies;
        this.publicUrl = publicUrl;
    }

    io.javalin.apibuilder.EndpointGroup routes() {
        return () -> {
            get("/api/classes/{code}/challenges", this::list);
            post("/api/classes/{code}/challenges", this::create);
            get("/api/classes/{code}/challenges/{challenge}", this::show);
            patch("/api/classes/{code}/challenges/{challenge}", this::update);
            get("/api/classes/{code}/challenges/{challenge}/results.csv", this::gradebook);
            get("/api/sessions/{id}/challenge", this::ofSession);
        };
    }

    /** Who asks, in the path's class: its teacher, or one of its students. */
    private record Access(StoredClass classroom, boolean teacher, StoredStudent student) {
    }

    private Access access(Context ctx) {
        Optional<StoredStudent> student = tokens.student(ctx);
        String teacherToken = tokens.teacherToken(ctx);
        String code = ctx.pathParam("code");
        StoredClass classroom = classes.visible(code, ctx.ip(), c -> classes.isTeacher(c, teacherToken)
                        || student.filter(s -> s.classCode().equals(c.code())).isPresent())
                .orElseThrow(() -> new ApiError(404, "code", "error.classNotVisible", Messages.echo(code, ECHO)));
        boolean teacher = classes.isTeacher(classroom, teacherToken);
        return new Access(classroom, teacher, teacher ? null
                : student.filter(s -> s.classCode().equals(classroom.code())).orElseThrow());
    }

    /** The class's teacher, else a 403 for its students. */
    private Access teacher(Context ctx) {
        Access access = access(ctx);
        if (!access.teacher()) {
            throw new ApiError(403, null, "error.teacherOnly");
        }
        return access;
    }

    /** The path's challenge in the class; a draft is the teacher's only. */
    private Challenge challenge(Context ctx, Access access) {
        String id = ctx.pathParam("challenge");
        return challenges.find(access.classroom().code(), id)
                .filter(c -> access.teacher() || !c.state().equals("draft"))
                .orElseThrow(() -> new ApiError(404, null, "error.unknownChallenge", Messages.echo(id, ECHO)));
    }

    /** The teacher: every challenge with how many tried and met it; a student: those not in draft. */
    void list(Context ctx) {
        Access access = access(ctx);
        Locale locale = Languages.of(ctx);
        List<Challenge> all = challenges.ofClass(access.classroom());
        if (access.teacher()) {
            List<StoredStudent> students = classes.students(access.classroom());
            ctx.json(all.stream().map(c -> {
                var view = ChallengeJson.teacher(c, challenges.standings(c, students), locale);
                return new ChallengeJson.Listed(view.challenge(), view.tried(), view.met());
            }).toList());
        } else {
            ctx.json(all.stream().filter(c -> !c.state().equals("draft"))
                    .map(c -> student(c, access.student(), locale, false)).toList());
        }
    }

    void create(Context ctx) {
        Access access = teacher(ctx);
        Challenge created = challenges.create(access.classroom(), bodies.object(ctx));
        ctx.status(201).json(ChallengeJson.Definition.of(created, Languages.of(ctx)));
    }

    /**
     * The teacher: the challenge and every student's standing; a student: their own view of it
     * ({@code ?spec=true} adds the starting spec to start an attempt from).
     */
    void show(Context ctx) {
        Access access = access(ctx);
        Challenge challenge = challenge(ctx, access);
        Locale locale = Languages.of(ctx);
        if (access.teacher()) {
            ctx.json(ChallengeJson.teacher(challenge, challenges.standings(challenge,
                    classes.students(access.classroom())), locale));
        } else {
            ctx.json(student(challenge, access.student(), locale, "true".equals(ctx.queryParam("spec"))));
        }
    }

    /** @param withSpec whether the answer carries the starting spec (the training part): the trainer asks for it */
    private ChallengeJson.StudentView student(Challenge challenge, StoredStudent student, Locale locale,
                                              boolean withSpec) {
        String whyNot = null;
        try {
            challenges.checkCanAttempt(challenge, student);
        } catch (InvalidSpecException e) {
            whyNot = Messages.get(locale, e.messageKey(), e.arguments().toArray());
        }
        return ChallengeJson.student(challenge, challenges.standing(challenge, student), whyNot, locale, withSpec);
    }

    void update(Context ctx) {
        Access access = teacher(ctx);
        Challenge updated = challenges.update(challenge(ctx, access), bodies.object(ctx));
        ctx.json(ChallengeJson.teacher(updated, challenges.standings(updated, classes.students(access.classroom())),
                Languages.of(ctx)));
    }

    /** {@code …/results.csv?tz=Europe/Madrid}: the gradebook (see {@link Gradebook}), times in the teacher's zone. */
    void gradebook(Context ctx) {
        Access access = teacher(ctx);
        Challenge challenge = challenge(ctx, access);
        Locale locale = Languages.of(ctx);
        String csv = Gradebook.csv(challenges.standings(challenge, classes.students(access.classroom())),
                challenge.definition().target().metric(), locale, zone(ctx.queryParam("tz")), baseUrl(ctx));
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + Messages.get(locale, "gradebook.file")
                + "-" + challenge.id().substring(0, 8) + ".csv\"");
        ctx.result(csv);
    }

    private static ZoneId zone(String id) {
        try {
            return id == null || id.isBlank() ? ZoneId.of("UTC") : ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    private String baseUrl(Context ctx) {
        return publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
    }

    /** A challenge session's banner: the challenge as a student sees it, and this session's latest attempt. */
    void ofSession(Context ctx) {
        String id = ctx.pathParam("id");
        Challenge challenge = challenges.ofSession(id).orElseThrow(() -> new ApiError(404, null,
                "error.notAChallengeSession"));
        List<ChallengeService.Attempt> attempts = challenges.attemptsOfSession(challenge, id);
        ctx.json(new ChallengeJson.SessionChallenge(
                ChallengeJson.Definition.forStudent(challenge, Languages.of(ctx), false),
                attempts.isEmpty() ? null : ChallengeJson.AttemptView.of(attempts.get(attempts.size() - 1), false)));
    }
}
