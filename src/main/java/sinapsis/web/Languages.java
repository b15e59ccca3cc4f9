package sinapsis.web;

import io.javalin.http.Context;
import java.util.Locale;

/**
 * Which language a request gets: {@code ?lang=} (remembered in a cookie), then the cookie, then
 * the browser's Accept-Language; Spanish when the browser prefers it, English otherwise.
 */
final class Languages {
    static final String COOKIE = "lang";

    private Languages() {
    }

    static Locale of(Context ctx) {
        String chosen = ctx.queryParam("lang");
        if (chosen != null && (chosen.equals("es") || chosen.equals("en"))) {
            ctx.cookie(COOKIE, chosen, 365 * 24 * 3600);
            return Messages.supported(Locale.forLanguageTag(chosen));
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && (cookie.equals("es") || cookie.equals("en"))) {
            return Messages.supported(Locale.forLanguageTag(cookie));
        }
        return fromAcceptLanguage(ctx.header("Accept-Language"));
    }

    /** The first of es/en in the header's preference order; English when neither is listed. */
    static Locale fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return Messages.ENGLISH;
        }
        try {
            for (Locale.LanguageRange range : Locale.LanguageRange.parse(header)) {
                String language = range.getRange().split("-")[0];
                if (language.equals("es")) {
                    return Messages.SPANISH;
                }
                if (language.equals("en")) {
                    return Messages.ENGLISH;
                }
            }
        } catch (IllegalArgumentException e) {
            return Messages.ENGLISH;
        }
        return Messages.ENGLISH;
    }
}
