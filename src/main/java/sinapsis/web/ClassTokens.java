package sinapsis.web;

import io.javalin.http.Context;
import java.util.Optional;
import sinapsis.classroom.ClassService;
import sinapsis.store.ClassStore.StoredStudent;

/**
 * How a request shows it is a class's teacher or one of its students: {@code Authorization: Bearer
 * <token>} (scripts) or the HttpOnly, SameSite=Lax cookie set when the class was made or joined (a
 * class token is used on every page, so the cookie is for the whole site).
 */
final class ClassTokens {
    static final String TEACHER_COOKIE = "sinapsis_teacher";
    static final String STUDENT_COOKIE = "sinapsis_student";

    private final ClassService classes;

    ClassTokens(ClassService classes) {
        this.classes = classes;
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

    static void setCookie(Context ctx, String name, String value) {
        String secure = "https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : "";
        ctx.res().addHeader("Set-Cookie", name + "=" + value + "; Path=/; Max-Age=" + (180 * 24 * 3600)
                + "; HttpOnly; SameSite=Lax" + secure);
    }
}
