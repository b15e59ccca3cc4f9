package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.get;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.ITemplateContext;
import org.thymeleaf.messageresolver.AbstractMessageResolver;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import sinapsis.classroom.ClassService;
import sinapsis.search.SearchService;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.training.BackendInfo;

/**
 * The pages: the editor at {@code /}, a session's page at {@code /s/{id}} (the same page, opened on
 * it; owner-only buttons show for its owner), its QR code, and "My sessions" at {@code /my}.
 */
final class Pages {
    static final String TRAINER = "trainer";

    private final TemplateEngine engine;
    private final java.util.Map<String, String> settings;
    private final java.util.function.Supplier<sinapsis.cluster.Cluster.View> cluster;
    private final SessionService sessions;
    private final SearchService searches;
    private final ClassService classes;
    private final ObjectMapper json;
    static final String MY_SESSIONS = "my";

    private final String version;
    private final String publicUrl;

    /** @param publicUrl the address people reach this server at (for QR codes), or null to use the request's */
    Pages(SessionService sessions, SearchService searches, ClassService classes, ObjectMapper json, String version,
          String publicUrl, java.util.Map<String, String> settings,
          java.util.function.Supplier<sinapsis.cluster.Cluster.View> cluster) {
        this.settings = settings;
        this.cluster = cluster;
        this.sessions = sessions;
        this.searches = searches;
        this.classes = classes;
        this.json = json;
        this.version = version;
        this.publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.replaceAll("/+$", "");
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("web/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        engine.setMessageResolver(new BundleMessageResolver());
    }

    void editor(Context ctx) {
        render(ctx, TRAINER, null, false);
    }

    void session(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<Session> session = sessions.find(id);
        if (session.isEmpty()) {
            ctx.status(404);
        }
        render(ctx, TRAINER, id, session.map(s -> sessions.isOwner(s, Ownership.token(ctx))).orElse(false));
    }

    void mySessions(Context ctx) {
        render(ctx, MY_SESSIONS, null, false);
    }

    /** Several sessions' curves on one chart ({@code ?ids=a,b}); the page reads them from the API. */
    void compare(Context ctx) {
        render(ctx, "compare", null, false);
    }

    /** The HTML pages. */
    io.javalin.apibuilder.EndpointGroup routes() {
        return () -> {
            get("/", this::editor);
            get("/s/{id}", this::session);
            get("/s/{id}/qr.svg", this::qrCode);
            get("/my", this::mySessions);
            get("/compare", this::compare);
            get("/searches/{id}", this::search);
            get("/join", this::join);
            get("/join/qr.svg", this::joinQrCode);
            get("/teach/{token}", this::teach);
            get("/classes/{code}", this::classForStudent);
            get("/classes/{code}/board", this::board);
            get("/classes/{code}/challenges/{challenge}", this::challenge);
            get("/about", this::about);
        };
    }

    /** The server's limits, in the reader's language. */
    void about(Context ctx) {
        render(ctx, "about", null, false, Map.of("cluster", cluster.get()));
    }

    /** Where students type the class code and their name. */
    void join(Context ctx) {
        render(ctx, "join", null, false);
    }

    /** The teacher's secret link: sets the teacher cookie and opens the board. */
    void teach(Context ctx) {
        String token = ctx.pathParam("token");
        var classroom = classes.classOfTeacher(token);
        if (classroom.isEmpty()) {
            ctx.status(404);
            render(ctx, "join", null, false);
            return;
        }
        ClassTokens.setCookie(ctx, ClassTokens.TEACHER_COOKIE, token);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.redirect("/classes/" + classroom.get().code() + "/board");
    }

    /** The teacher's board (the page reads the class with the teacher cookie). */
    void board(Context ctx) {
        render(ctx, "board", ctx.pathParam("code"), false);
    }

    /** A challenge: the teacher's view of every student's standing, or a student's own (the page asks the API which). */
    void challenge(Context ctx) {
        render(ctx, "challenge", ctx.pathParam("code"), false, Map.of("challengeId", ctx.pathParam("challenge")));
    }

    /** A student's view of their class: their sessions, the leaderboard when it is on. */
    void classForStudent(Context ctx) {
        render(ctx, "class", ctx.pathParam("code"), false);
    }

    /** A grid search's live table and curves. */
    void search(Context ctx) {
        String id = ctx.pathParam("id");
        if (searches.find(id).isEmpty()) {
            ctx.status(404);
        }
        render(ctx, "search", id, false);
    }

    /** The share URL of a session as a QR code (SVG), for a class to scan off the projector. */
    void qrCode(Context ctx) {
        Session session = sessions.find(ctx.pathParam("id")).orElseThrow(ApiError::notFound);
        String base = publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
        ctx.contentType("image/svg+xml");
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.result(QrCodes.svg(base + "/s/" + session.id()));
    }

    /**
     * {@code /join/qr.svg?code=ABC234}: a QR code of the join page with the code filled in, to project.
     * Any well-formed code gets one (whether a class has it is not revealed here); others are a 404.
     */
    void joinQrCode(Context ctx) {
        String code = sinapsis.classroom.JoinCodes.normalise(ctx.queryParam("code"));
        if (code == null) {
            throw new ApiError(404, "code", "error.classNotVisible", "");
        }
        String base = publicUrl != null ? publicUrl : ctx.scheme() + "://" + ctx.host();
        ctx.contentType("image/svg+xml");
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.result(QrCodes.svg(base + "/join?code=" + code));
    }

    private void render(Context ctx, String template, String sessionId, boolean owner) {
        render(ctx, template, sessionId, owner, Map.of());
    }

    private void render(Context ctx, String template, String sessionId, boolean owner, Map<String, Object> extra) {
        Locale locale = Languages.of(ctx);
        BackendInfo backend = sessions.training().backend();
        Map<String, Object> model = new HashMap<>();
        model.put("lang", locale.getLanguage());
        model.put("sessionId", sessionId);
        model.put("sessionMissing", sessionId != null && ctx.status().getCode() == 404);
        model.put("owner", owner);
        model.put("backend", backend.backend());
        model.put("device", backend.device());
        model.put("version", version);
        model.put("maxPasteBytes", sessions.limits().maxPasteBytes());
        model.put("limits", sessions.limits());
        model.put("workers", sessions.training().workerCount());
        model.put("settings", settings);
        model.put("messagesJson", messagesJson(locale));
        model.putAll(extra);
        ctx.contentType("text/html; charset=utf-8");
        ctx.header("Cache-Control", "no-store");
        ctx.result(engine.process(template, new org.thymeleaf.context.Context(locale, model)));
    }

    /** The language's messages as JSON that is safe inside a script element. */
    private String messagesJson(Locale locale) {
        try {
            return json.writeValueAsString(Messages.all(locale)).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lets templates say {@code #{key}} and read it from our bundles. */
    private static final class BundleMessageResolver extends AbstractMessageResolver {
        @Override
        public String resolveMessage(ITemplateContext context, Class<?> origin, String key, Object[] parameters) {
            return Messages.get(context.getLocale(), key, parameters == null ? new Object[0] : parameters);
        }

        @Override
        public String createAbsentMessageRepresentation(ITemplateContext context, Class<?> origin, String key,
                                                        Object[] parameters) {
            return "??" + key + "??";
        }
    }
}
