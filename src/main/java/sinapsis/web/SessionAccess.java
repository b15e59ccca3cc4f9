package sinapsis.web;

import io.javalin.http.Context;
import java.util.Optional;
import sinapsis.session.Requester;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.store.ClassStore.StoredStudent;

/** The session a request names ({@code {id}}), and who may act on it: its owner, or the teacher of its class. */
final class SessionAccess {
    private final SessionService sessions;
    private final ClassTokens classTokens;

    SessionAccess(SessionService sessions, ClassTokens classTokens) {
        this.sessions = sessions;
        this.classTokens = classTokens;
    }

    /** The path's session, or a 404. */
    Session find(Context ctx) {
        return sessions.find(ctx.pathParam("id")).orElseThrow(ApiError::notFound);
    }

    /** The path's session, if the request proves it owns it (or teaches its class); a 403 otherwise. */
    Session owned(Context ctx) {
        Session session = find(ctx);
        if (!sessions.isOwner(session, Ownership.token(ctx)) && !classTokens.isTeacherOfSession(ctx, session.id())) {
            throw new ApiError(403, null, "error.notOwner");
        }
        return session;
    }

    /** Who a request counts against: the student whose token it carries, else its address. */
    static Requester requester(Context ctx, Optional<StoredStudent> student) {
        return student.map(s -> Requester.student(s.id(), s.classCode())).orElseGet(() -> Requester.address(ctx.ip()));
    }
}
