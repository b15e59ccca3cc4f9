package sinapsis.support;

import io.javalin.Javalin;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import sinapsis.App;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.JoinThrottle;
import sinapsis.data.BuiltInDatasets;
import sinapsis.data.FashionMnist;
import sinapsis.data.ImageSets;
import sinapsis.model.Limits;
import sinapsis.search.SearchService;
import sinapsis.session.SessionService;
import sinapsis.store.ClassStore;
import sinapsis.store.Database;
import sinapsis.store.DatabaseConfig;
import sinapsis.store.SearchStore;
import sinapsis.store.SessionStore;
import sinapsis.training.Trainer;
import sinapsis.training.TrainingService;
import sinapsis.training.nd4j.Nd4jTrainer;
import sinapsis.web.WebServer;

/**
 * A whole Sinapsis server started in-process on a free port, with a small HTTP client for tests.
 * As a static {@code @RegisterExtension} field, it serves one test class and stops after it.
 */
public final class RunningServer implements AutoCloseable, AfterAllCallback {
    private final TrainingService training;
    private final Database database;
    private final SessionService sessions;
    private final SearchService searches;
    private final Javalin app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Tests create sessions faster than any class would: the per-client rate limit is lifted here. */
    public static final Limits TEST_LIMITS = Limits.defaults().withMaxCreatedPerMinute(1_000_000).withMaxRunsPerClient(1_000);

    public RunningServer() {
        this(new Nd4jTrainer(), TEST_LIMITS, 2);
    }

    public RunningServer(Trainer trainer, Limits limits, int workers) {
        this(trainer, limits, workers, TestDatabases.sqlite());
    }

    public RunningServer(Trainer trainer, Limits limits, int workers, DatabaseConfig databaseConfig) {
        this(trainer, limits, workers, databaseConfig, WebServer.Dependencies.SLOW_VIEWER_TIMEOUT);
    }

    /** A server that lets go of a WebSocket viewer once a message to it has been in flight for {@code slowViewerTimeout}. */
    public RunningServer(Duration slowViewerTimeout) {
        this(new Nd4jTrainer(), TEST_LIMITS, 2, TestDatabases.sqlite(), slowViewerTimeout);
    }

    /** A server whose runs take turns on {@code workers} slots, a slice of {@code slice} each. */
    public RunningServer(Limits limits, int workers, Duration slice) {
        this(new Nd4jTrainer(), limits, workers, TestDatabases.sqlite(), WebServer.Dependencies.SLOW_VIEWER_TIMEOUT, slice,
                (java.nio.file.Path) null);
    }

    /** A server whose Fashion-MNIST is the local copy in {@code fashionMnistDir} (as {@code FASHION_MNIST_DIR}). */
    public RunningServer(java.nio.file.Path fashionMnistDir) {
        this(new Nd4jTrainer(), TEST_LIMITS, 2, TestDatabases.sqlite(), WebServer.Dependencies.SLOW_VIEWER_TIMEOUT,
                Duration.ofMinutes(10), fashionMnistDir);
    }

    /**
     * A server without Fashion-MNIST that downloads it from {@code baseUrl} into a temporary folder,
     * checking the files against {@code sha256}.
     */
    public static RunningServer downloadingFashionMnistFrom(String baseUrl, java.util.Map<String, String> sha256) {
        return new RunningServer(new Nd4jTrainer(), TEST_LIMITS, 2, TestDatabases.sqlite(),
                WebServer.Dependencies.SLOW_VIEWER_TIMEOUT, Duration.ofMinutes(10),
                new ImageSets(temporaryFolder(), true, baseUrl, sha256));
    }

    private RunningServer(Trainer trainer, Limits limits, int workers, DatabaseConfig databaseConfig,
                          Duration slowViewerTimeout) {
        this(trainer, limits, workers, databaseConfig, slowViewerTimeout, Duration.ofMinutes(10), (ImageSets) null);
    }

    private RunningServer(Trainer trainer, Limits limits, int workers, DatabaseConfig databaseConfig,
                          Duration slowViewerTimeout, Duration slice, java.nio.file.Path fashionMnistDir) {
        // never the developer's own data folder: Fashion-MNIST is absent unless a test brings a copy
        this(trainer, limits, workers, databaseConfig, slowViewerTimeout, slice, new ImageSets(
                fashionMnistDir != null ? fashionMnistDir : temporaryFolder(), false, FashionMnist.DEFAULT_BASE_URL,
                FashionMnist.OFFICIAL_SHA256));
    }

    private RunningServer(Trainer trainer, Limits limits, int workers, DatabaseConfig databaseConfig,
                          Duration slowViewerTimeout, Duration slice, ImageSets images) {
        // one long slice: runs go first come, first served unless a test asks for time slicing
        training = new TrainingService(trainer, workers, slice, limits);
        database = Database.open(databaseConfig);
        BuiltInDatasets datasets = BuiltInDatasets.load(images != null ? images : new ImageSets(temporaryFolder(),
                false, FashionMnist.DEFAULT_BASE_URL, FashionMnist.OFFICIAL_SHA256));
        sessions = new SessionService(datasets, limits, training, new SessionStore(database),
                Duration.ofMillis(100));
        searches = new SearchService(sessions, new SearchStore(database), SearchService.TICK);
        ClassService classes = new ClassService(new ClassStore(database), sessions,
                new JoinThrottle(10, Duration.ofMinutes(10).toMillis(), 20));
        app = WebServer.create(new WebServer.Dependencies(sessions, searches, classes, datasets, App.VERSION, null,
                slowViewerTimeout)).start(0);
    }

    private static java.nio.file.Path temporaryFolder() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sinapsis-no-fashion");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public SessionService sessions() {
        return sessions;
    }

    public int port() {
        return app.port();
    }

    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET(), headers);
    }

    public Response post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public Response patch(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    public Response delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).DELETE(), headers);
    }

    private Response send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers()
                    .firstValue("Content-Type").orElse(""), response.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits (up to two minutes) until the session or search at {@code apiPath} (e.g.
     * {@code /api/sessions/ID}) is neither queued nor running, and returns it.
     */
    public com.fasterxml.jackson.databind.JsonNode ended(String apiPath) {
        Eventually.waitFor(apiPath + " to end", Duration.ofSeconds(120),
                () -> !get(apiPath).json().get("status").asText().matches("queued|running"));
        return get(apiPath).json();
    }

    /** A status code and body. */
    public record Response(int status, String body, String contentType, java.net.http.HttpHeaders headers) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        app.stop();
        searches.close();
        training.close();
        sessions.close();
        database.close();
    }
}
