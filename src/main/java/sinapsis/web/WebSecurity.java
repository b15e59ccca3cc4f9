package sinapsis.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * What every answer carries and what every write must prove.
 *
 * <p>Headers: a Content-Security-Policy that allows only the server's own scripts, styles, images,
 * fonts and connections (no inline script, no plugin, no framing by another site), {@code nosniff},
 * {@code X-Frame-Options: DENY} for browsers without {@code frame-ancestors}, and a referrer policy
 * that never sends a session's address to another site.
 *
 * <p>Writes ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE} under {@code /api/}) come from
 * this origin only: a browser's {@code Sec-Fetch-Site} must be {@code same-origin} (or {@code none},
 * typed by the user), and an {@code Origin} must name this host. SameSite=Lax cookies reach the
 * server from another port or subdomain of the same site, so a page there could otherwise stop or
 * delete a victim's session. A write's body is JSON or nothing: an HTML form cannot send
 * {@code application/json}, so a forged form is a {@code 415} even where a browser sends no
 * {@code Sec-Fetch-*} headers. Scripts ({@code curl}, the tests) send neither header and pass.
 */
final class WebSecurity {
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");
    private static final Set<HandlerType> WRITES = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
            HandlerType.DELETE);

    private final String publicOrigin;

    /** @param publicUrl the address people reach the server at (behind a proxy), or null */
    WebSecurity(String publicUrl) {
        this.publicOrigin = publicUrl == null || publicUrl.isBlank() ? null : origin(publicUrl);
    }

    void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
    }

    /** Refuses a write from another origin (403) or with a body that is not JSON (415). */
    void checkWrite(Context ctx) {
        if (!WRITES.contains(ctx.method()) || !ctx.path().startsWith("/api/")) {
            return;
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ApiError(403, null, "error.crossOrigin");
        }
        String origin = ctx.header("Origin");
        if (origin != null && !isThisServer(origin, ctx.header("Host"))) {
            throw new ApiError(403, null, "error.crossOrigin");
        }
        String type = ctx.header("Content-Type");
        boolean json = type != null && type.toLowerCase(Locale.ROOT).strip().startsWith("application/json");
        boolean hasBody = ctx.header("Transfer-Encoding") != null
                || (ctx.header("Content-Length") != null && !"0".equals(ctx.header("Content-Length").strip()));
        if ((type != null || hasBody) && !json) {
            throw new ApiError(415, null, "error.notJson");
        }
    }

    /**
     * A WebSocket opened by another site's page is refused before the upgrade (403): the teacher's
     * board socket answers with the class's data to whoever holds the teacher's cookie.
     */
    void checkSocket(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !isThisServer(origin, ctx.header("Host"))) {
            throw new ApiError(403, null, "error.crossOrigin");
        }
    }

    private boolean isThisServer(String origin, String host) {
        if ("null".equals(origin)) {
            return false; // a sandboxed frame or a file: never this server's own page
        }
        String claimed = origin(origin);
        if (claimed == null) {
            return false;
        }
        if (claimed.equals(publicOrigin)) {
            return true;
        }
        // The scheme can differ behind a TLS proxy; host and port must be the ones the request was sent to.
        return host != null && claimed.substring(claimed.indexOf("://") + 3).equalsIgnoreCase(host.strip());
    }

    /** {@code scheme://host[:port]} of a URL, lower case, or null when it is not one. */
    private static String origin(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            return (uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()))
                    .toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
