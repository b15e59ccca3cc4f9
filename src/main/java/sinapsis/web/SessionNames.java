package sinapsis.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import sinapsis.model.SessionSpec;
import sinapsis.session.Session;
import sinapsis.session.SessionService;

/** The names Sinapsis gives sessions, in the request's language. */
final class SessionNames {
    private SessionNames() {
    }

    /**
     * "Espirales · 1/12/26, 22:41": a new session's name when its request gives none, its data set
     * (or "pasted table") and when it was made, in the request's language and the server's time zone.
     */
    static String byDefault(Locale locale, SessionSpec spec, long createdAt) {
        String dataset = spec.data().dataset();
        String data = Messages.get(locale, dataset != null ? "dataset." + dataset + ".name" : "session.pastedTable");
        String when = SHORT_DATE_TIME.computeIfAbsent(locale, SessionNames::shortDateTime)
                .withZone(ZoneId.systemDefault()).format(Instant.ofEpochMilli(createdAt));
        return fit(data + " · " + when);
    }

    /**
     * Each language's short date and time, its pattern looked up once: a localized formatter looks
     * it up at every call, a tenth of a new session's CPU on a web node (its profile while the
     * cluster bench created 30 sessions a class).
     */
    private static final java.util.Map<Locale, DateTimeFormatter> SHORT_DATE_TIME =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static DateTimeFormatter shortDateTime(Locale locale) {
        return DateTimeFormatter.ofPattern(java.time.format.DateTimeFormatterBuilder.getLocalizedDateTimePattern(
                FormatStyle.SHORT, FormatStyle.SHORT, java.time.chrono.IsoChronology.INSTANCE, locale), locale);
    }

    /** "Mejor de la búsqueda: …": the session that refits a grid search's best combination. */
    static String refit(Locale locale, SessionSpec spec, long createdAt) {
        return fit(Messages.get(locale, "search.refitName", byDefault(locale, spec, createdAt)));
    }

    /** "Copia de …": the source's name, else its data set's, else "untitled". */
    static String copy(Locale locale, Session source) {
        String dataset = source.spec().data().dataset();
        String base = source.name() != null ? source.name()
                : dataset != null ? Messages.get(locale, "dataset." + dataset + ".name")
                : Messages.get(locale, "session.untitled");
        return fit(Messages.get(locale, "session.copyName", base));
    }

    /** A name cut to {@link SessionService#MAX_NAME_LENGTH} with an ellipsis. */
    static String fit(String name) {
        return name.length() <= SessionService.MAX_NAME_LENGTH ? name
                : name.substring(0, SessionService.MAX_NAME_LENGTH - 1) + "…";
    }
}
