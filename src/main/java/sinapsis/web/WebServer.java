package sinapsis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.BuiltInDatasets;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.JoinThrottle;
import sinapsis.model.InvalidSpecException;
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
     * @param publicUrl         the address people reach the server at (for QR codes), or null for the request's
     * @param slowViewerTimeout how long a WebSocket message may stay in flight before its viewer is let go
     */
    /** @param settings the server's configuration as the about page lists it (variable → value) */
    public record Dependencies(SessionService sessions, SearchService searches, ClassService classes,
                               BuiltInDatasets datasets, String version, String publicUrl,
                               java.time.Duration slowViewerTimeout, java.util.Map<String, String> settings) {
        public static final java.time.Duration SLOW_VIEWER_TIMEOUT = java.time.Duration.ofSeconds(15);

        public Dependencies {
            settings = settings == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        }
    }

    public static Javalin create(Dependencies deps) {
        ObjectMapper json = new ObjectMapper();
        long maxBody = 2L * deps.sessions().limits().maxPasteBytes() + 1024 * 1024;
        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = maxBody;
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/web/static";
                files.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
        });
        SpecJson specs = new SpecJson(json,
                id -> deps.datasets().find(id).map(BuiltInDataset::suggested).orElse(null));
        SessionJson views = new SessionJson(json, specs);
        SessionSocket socket = new SessionSocket(deps.sessions(), json, views, deps.slowViewerTimeout());
        ApiController api = new ApiController(deps.sessions(), deps.datasets(), json, specs, views, deps.version(),
                maxBody, socket::viewerCount);
        Pages pages = new Pages(deps.sessions(), deps.searches(), deps.classes(), json, deps.version(),
                deps.publicUrl(), deps.settings());
        SearchJson searchViews = new SearchJson(json, specs);
        SearchController searchApi = new SearchController(deps.searches(), json, searchViews, api::body);
        ClassController classApi = new ClassController(deps.classes(), json, specs, api::body);
        api.classes(classApi);
        ImageController imageApi = new ImageController(deps.sessions(), deps.datasets().images(), json);
        SnapshotSocket<sinapsis.store.ClassStore.StoredClass> boardSocket = new SnapshotSocket<>("board",
                (ctx, code) -> deps.classes().find(code).filter(c -> deps.classes().isTeacher(c,
                        ctx.cookieMap().get(ClassController.TEACHER_COOKIE))),
                classroom -> classApi.board(classroom).toString(), "error.notTeacher", java.time.Duration.ofSeconds(1));
        SnapshotSocket<sinapsis.search.GridSearch> searchSocket = new SnapshotSocket<>("search",
                (ctx, id) -> deps.searches().find(id), search -> searchViews.write(search).toString(),
                "error.searchNotFound", java.time.Duration.ofMillis(250));

        WebSecurity security = new WebSecurity(deps.publicUrl());
        app.before(security::headers);
        app.before(security::checkWrite);
        app.wsBeforeUpgrade(security::checkSocket);
        app.get("/", pages::editor);
        app.get("/s/{id}", pages::session);
        app.get("/s/{id}/qr.svg", pages::qrCode);
        app.get("/my", pages::mySessions);
        app.get("/compare", pages::compare);
        app.get("/searches/{id}", pages::search);
        app.get("/join", pages::join);
        app.get("/join/qr.svg", pages::joinQrCode);
        app.get("/teach/{token}", pages::teach);
        app.get("/classes/{code}", pages::classForStudent);
        app.get("/classes/{code}/board", pages::board);
        app.post("/api/classes", classApi::create);
        app.post("/api/classes/{code}/join", classApi::join);
        app.get("/api/classes/{code}", classApi::show);
        app.patch("/api/classes/{code}", classApi::update);
        app.post("/api/classes/{code}/stop", classApi::stopAll);
        app.get("/api/classes/{code}/student", classApi::forStudent);
        app.wsBeforeUpgrade("/ws/classes/{id}", classApi::checkBoardSocket);
        app.ws("/ws/classes/{id}", boardSocket::configure);
        app.post("/api/searches", searchApi::create);
        app.get("/api/searches", searchApi::list);
        app.get("/api/searches/{id}", searchApi::show);
        app.post("/api/searches/{id}/stop", searchApi::stop);
        app.ws("/ws/searches/{id}", searchSocket::configure);
        app.get("/api/health", api::health);
        app.get("/api/datasets", api::datasets);
        app.get("/api/defaults", api::defaults);
        app.get("/api/datasets/fashion-mnist", imageApi::fashionStatus);
        app.post("/api/datasets/fashion-mnist/download", imageApi::startFashionDownload);
        app.post("/api/tables/preview", api::previewTable);
        app.post("/api/steps", api::step);
        CreationRate creations = new CreationRate(deps.sessions().limits().maxCreatedPerMinute());
        app.before("/api/sessions", ctx -> countCreation(ctx, creations));
        app.before("/api/sessions/{id}/fork", ctx -> countCreation(ctx, creations));
        app.before("/api/searches", ctx -> countCreation(ctx, creations));
        app.before("/api/classes", ctx -> countCreation(ctx, creations));
        app.before("/api/classes/{code}/join", ctx -> countCreation(ctx, creations));
        app.get("/api/limits", api::limits);
        app.get("/about", pages::about);
        app.post("/api/sessions", api::create);
        app.get("/api/sessions", api::list);
        app.get("/api/sessions/{id}", api::show);
        app.patch("/api/sessions/{id}", api::rename);
        app.delete("/api/sessions/{id}", api::delete);
        app.post("/api/sessions/{id}/predict", api::predict);
        app.get("/api/sessions/{id}/samples", imageApi::samples);
        app.post("/api/sessions/{id}/stop", api::stop);
        app.post("/api/sessions/{id}/run", api::run);
        app.post("/api/sessions/{id}/fork", api::fork);
        app.get("/api/sessions/{id}/history.csv", api::historyCsv);
        app.get("/api/sessions/{id}/history.json", api::historyJson);
        app.get("/api/sessions/{id}/spec.json", api::specFile);
        app.get("/api/sessions/{id}/data.csv", api::dataCsv);
        app.get("/api/sessions/{id}/model.zip", api::modelZip);
        app.get("/api/sessions/{id}/code/{language}", api::code);
        app.get("/api/sessions/{id}/training-data.csv", api::trainingData);
        app.ws("/ws/sessions/{id}", socket::configure);

        app.exception(InvalidSpecException.class, (e, ctx) -> error(ctx, json, 400, e.field(), e.messageKey(),
                e.arguments().toArray()));
        app.exception(SessionStateException.class, (e, ctx) -> error(ctx, json, 409, null, e.messageKey(),
                e.arguments()));
        app.exception(JoinThrottle.RefusedException.class, (e, ctx) -> {
            ClassController.refused(e, ctx);
            error(ctx, json, 429, "code", "error.tooManyJoinAttempts", e.retryAfterSeconds());
        });
        app.exception(ApiError.class, (e, ctx) -> error(ctx, json, e.status(), e.field(), e.messageKey(),
                e.arguments()));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 413) {
                error(ctx, json, 413, "data.csv", "error.bodyTooLarge", maxBody);
            } else {
                error(ctx, json, e.getStatus(), null, "error.http", e.getStatus());
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, json, 500, null, "error.internal");
        });
        app.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") && ctx.result() == null) {
                error(ctx, json, 404, null, "error.notFound");
            }
        });
        app.events(events -> events.serverStopped(() -> {
            socket.close();
            searchSocket.close();
            boardSocket.close();
        }));
        return app;
    }

    private static void countCreation(Context ctx, CreationRate creations) {
        if (ctx.method() == io.javalin.http.HandlerType.POST) {
            creations.check(ctx.ip());
        }
    }

    private static void error(Context ctx, ObjectMapper json, int status, String field, String key, Object... args) {
        Locale locale = Languages.of(ctx);
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        if (field == null) {
            error.putNull("field");
        } else {
            error.put("field", field);
        }
        error.put("message", Messages.get(locale, key, args));
        ctx.status(status).json(body);
    }
}
