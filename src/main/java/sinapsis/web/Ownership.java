package sinapsis.web;

import io.javalin.http.Context;

/**
 * How a request proves it owns a session: {@code Authorization: Bearer <owner token>} (scripts),
 * or the HttpOnly, SameSite cookie set when the browser created or forked the session. The cookie
 * is scoped to that session: one copy for its page ({@code /s/{id}}), one for its API
 * ({@code /api/sessions/{id}}), so a browser sends a session's token only with that session's requests.
 */
final class Ownership {
    static final String COOKIE = "sinapsis_owner";
    private static final int ONE_YEAR_SECONDS = 365 * 24 * 3600;

    private Ownership() {
    }

    /** The token the request presents, or null. */
    static String token(Context ctx) {
        String bearer = bearer(ctx);
        return bearer != null ? bearer : ctx.cookie(COOKIE);
    }

    /** The token of an {@code Authorization: Bearer …} header, or null. */
    static String bearer(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    static void grant(Context ctx, String sessionId, String token) {
        setCookies(ctx, token, ONE_YEAR_SECONDS, "/s/" + sessionId, "/api/sessions/" + sessionId);
    }

    static void revoke(Context ctx, String sessionId) {
        setCookies(ctx, "", 0, "/s/" + sessionId, "/api/sessions/" + sessionId);
    }

    /** A grid search's owner cookie, for its page and its API (the same token owns its refit session). */
    static void grantSearch(Context ctx, String searchId, String token) {
        setCookies(ctx, token, ONE_YEAR_SECONDS, "/searches/" + searchId, "/api/searches/" + searchId);
    }

    private static void setCookies(Context ctx, String value, int maxAge, String... paths) {
        String secure = "https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : "";
        for (String path : paths) {
            ctx.res().addHeader("Set-Cookie", COOKIE + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge
                    + "; HttpOnly; SameSite=Lax" + secure);
        }
    }
}
