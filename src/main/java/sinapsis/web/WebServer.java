package sinapsis.web;

import static io.javalin.apibuilder.ApiBuilder.before;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.data.BuiltInDatasets;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.JoinThrottle;
import sinapsis.json.Json;
import sinapsis.json.SpecJson;
import sinapsis.model.InvalidSpecException;
import sinapsis.search.GridExpansion;
import sinapsis.search.SearchService;
import sinapsis.session.SessionService;
import sinapsis.session.SessionStateException;

/** Builds the web application from its collaborators; {@code App} only starts it. Tests start their own. */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private WebServer() {
    }

    /**
     * What the web layer needs.
     *
     * @param specs             the API's spec JSON (built-in data sets fill in what a request leaves out)
     * @param publicUrl         the address people reach the server at (for QR codes), or null for the request's
     * @param slowViewerTimeout how long a WebSocket message may stay in flight before its viewer is let go
     * @param settings          the server's configuration as the about page lists it (variable → value)
     * @param cluster           the nodes sharing the database and the queue, now (health and about page)
     */
    public record Dependencies(SessionService sessions, SearchService searches, ClassService classes,
                               sinapsis.challenge.ChallengeService challenges,
                               BuiltInDatasets datasets, SpecJson specs, String version, String publicUrl,
                               java.time.Duration slowViewerTimeout, java.util.Map<String, String> settings,
                               java.util.function.Supplier<sinapsis.cluster.Cluster.View> cluster,
                               sinapsis.throttle.RecentEvents creations) {
        public static final java.time.Duration SLOW_VIEWER_TIMEOUT = java.time.Duration.ofSeconds(15);
        /** The window {@code SINAPSIS_MAX_CREATED_PER_MINUTE} counts creations in. */
        public static final java.time.Duration CREATION_WINDOW = java.time.Duration.ofMinutes(1);

        public Dependencies {
            settings = settings == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        }
    }

    public static Javalin create(Dependencies deps) {
        ObjectMapper json = Json.mapper();
        Bodies bodies = new Bodies(2L * deps.sessions().limits().maxPasteBytes() + 1024 * 1024);
        SpecJson specs = deps.specs();
        ClassTokens classTokens = new ClassTokens(deps.classes());
        SessionJson views = new SessionJson(specs);
        SessionSocket socket = new SessionSocket(deps.sessions(), json, deps.slowViewerTimeout());
        EditorController editor = new EditorController(deps.sessions(), specs,
                new DatasetJson(deps.datasets()), bodies, deps.version(), socket::viewerCount, deps.cluster());
        SessionController sessionApi = new SessionController(deps.sessions(), deps.challenges(), classTokens, specs,
                views, bodies);
        ExportController exportApi = new ExportController(deps.sessions(), deps.datasets(),
                new SessionAccess(deps.sessions(), classTokens), specs);
        Pages pages = new Pages(deps.sessions(), deps.searches(), deps.classes(), json, deps.version(),
                deps.publicUrl(), deps.settings(), deps.cluster());
        SearchJson searchViews = new SearchJson(json);
        SearchController searchApi = new SearchController(deps.searches(), searchViews,
                new GridExpansion(specs), bodies, classTokens);
        ClassJson classViews = new ClassJson(json, deps.classes());
        ClassController classApi = new ClassController(deps.classes(), deps.challenges(), classTokens, classViews,
                bodies);
        ChallengeController challengeApi = new ChallengeController(deps.challenges(), classTokens, bodies,
                deps.publicUrl());
        ImageController imageApi = new ImageController(deps.sessions(), deps.datasets().images(), deps.challenges());
        SnapshotSocket<sinapsis.store.ClassStore.StoredClass> boardSocket = new SnapshotSocket<>("board",
                (ctx, code) -> deps.classes().find(code).filter(c -> deps.classes().isTeacher(c,
                        ctx.cookieMap().get(ClassTokens.TEACHER_COOKIE))),
                classViews::boardText, "error.notTeacher", java.time.Duration.ofSeconds(1));
        SnapshotSocket<sinapsis.search.GridSearch> searchSocket = new SnapshotSocket<>("search",
                (ctx, id) -> deps.searches().find(id), searchViews::text,
                "error.searchNotFound", java.time.Duration.ofMillis(250));
        WebSecurity security = new WebSecurity(deps.publicUrl());
        CreationRate creations = new CreationRate(deps.sessions().limits().maxCreatedPerMinute(), deps.creations());

        return Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = bodies.maxBytes();
            // Jetty caches a connection's header lines (Authorization, Cookie…) case-insensitively and
            // would hand a later line that begins like a cached one the cached one's case: an owner
            // token beginning with X, after a request that sent "Bearer x", arrived as "x…" and was refused
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/web/static";
                files.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
            // every route up front, each feature's from its own controller
            config.router.apiBuilder(() -> {
                before(security::headers);
                before(security::checkWrite);
                for (String creating : List.of("/api/sessions", "/api/sessions/{id}/fork", "/api/searches",
                        "/api/classes", "/api/classes/{code}/join", "/api/classes/{code}/challenges")) {
                    before(creating, ctx -> countCreation(ctx, creations));
                }
                pages.routes().addEndpoints();
                editor.routes().addEndpoints();
                sessionApi.routes(socket).addEndpoints();
                exportApi.routes().addEndpoints();
                imageApi.routes().addEndpoints();
                searchApi.routes(searchSocket).addEndpoints();
                classApi.routes(boardSocket).addEndpoints();
                challengeApi.routes().addEndpoints();
            });
            config.router.mount(routing -> {
                routing.wsBeforeUpgrade(security::checkSocket);
                routing.wsBeforeUpgrade("/ws/classes/{id}", classApi::checkBoardSocket);
                errors(routing, bodies.maxBytes());
            });
            config.events.serverStopped(() -> {
                socket.close();
                searchSocket.close();
                boardSocket.close();
            });
        });
    }

    /** Every failure as the API's one error shape, in the request's language; a 500 is logged. */
    private static void errors(io.javalin.router.JavalinDefaultRouting routing, long maxBody) {
        routing.exception(InvalidSpecException.class, (e, ctx) -> error(ctx, 400, e.field(), e.messageKey(),
                e.arguments().toArray()));
        routing.exception(SessionStateException.class, (e, ctx) -> error(ctx, 409, null, e.messageKey(),
                e.arguments()));
        routing.exception(JoinThrottle.RefusedException.class, (e, ctx) -> {
            ClassController.refused(e, ctx);
            error(ctx, 429, "code", "error.tooManyJoinAttempts", e.retryAfterSeconds());
        });
        routing.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.field(), e.messageKey(),
                e.arguments()));
        routing.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 413) {
                error(ctx, 413, "data.csv", "error.bodyTooLarge", maxBody);
            } else {
                error(ctx, e.getStatus(), null, "error.http", e.getStatus());
            }
        });
        routing.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, null, "error.internal");
        });
        routing.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") && ctx.result() == null) {
                error(ctx, 404, null, "error.notFound");
            }
        });
    }

    private static void countCreation(Context ctx, CreationRate creations) {
        if (ctx.method() == io.javalin.http.HandlerType.POST) {
            creations.check(ctx.ip());
        }
    }

    /** The API's one error shape: {@code {"error": {"field": "training.epochs" | null, "message": "…"}}}. */
    record ErrorAnswer(Error error) {
        record Error(String field, String message) {
        }
    }

    private static void error(Context ctx, int status, String field, String key, Object... args) {
        ctx.status(status).json(new ErrorAnswer(new ErrorAnswer.Error(field, Messages.get(Languages.of(ctx), key, args))));
    }
}
