package sinapsis.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import sinapsis.Config;
import sinapsis.Sinapsis;
import sinapsis.classroom.JoinThrottle;
import sinapsis.data.FashionMnist;
import sinapsis.model.Limits;
import sinapsis.session.SessionService;
import sinapsis.store.DatabaseConfig;
import sinapsis.training.Trainer;
import sinapsis.training.nd4j.Nd4jTrainer;
import sinapsis.web.WebServer;

/**
 * A whole Sinapsis server started in-process on a free port, with a small HTTP client for tests.
 * As a static {@code @RegisterExtension} field, it serves one test class and stops after it. It is
 * the product's own composition root ({@link Sinapsis#start}) with a test's {@link Config}: a
 * temporary data folder (never the developer's: Fashion-MNIST is absent unless a test brings a
 * copy), a lenient join throttle and, unless a test asks for time slicing, one long slice.
 */
public final class RunningServer implements AutoCloseable, AfterAllCallback {
    private final Sinapsis server;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Tests create sessions faster than any class would: the per-client rate limit is lifted here. */
    public static final Limits TEST_LIMITS = Limits.defaults().withMaxCreatedPerMinute(1_000_000).withMaxRunsPerClient(1_000);

    /**
     * A test's settings: port 0, a temporary folder, two workers, history every 100 ms, lenient joins,
     * and Fashion-MNIST as an empty local copy: absent, and never downloaded from the internet.
     */
    public static Config testConfig() {
        return Config.defaults(0, temporaryFolder()).withLimits(TEST_LIMITS).withWorkers(2)
                .withFashionMnist(temporaryFolder(), FashionMnist.DEFAULT_BASE_URL, FashionMnist.OFFICIAL_SHA256)
                .withDatabase(TestDatabases.sqlite())
                .withTimes(Duration.ofMillis(100), Duration.ofMinutes(10), WebServer.Dependencies.SLOW_VIEWER_TIMEOUT)
                .withJoins(new JoinThrottle.Policy(10, Duration.ofMinutes(10), Duration.ofMillis(20)));
    }

    public RunningServer() {
        this(testConfig(), new Nd4jTrainer());
    }

    public RunningServer(Config config, Trainer trainer) {
        server = Sinapsis.start(config, trainer);
    }

    public RunningServer(Trainer trainer, Limits limits, int workers) {
        this(testConfig().withLimits(limits).withWorkers(workers), trainer);
    }

    public RunningServer(Trainer trainer, Limits limits, int workers, DatabaseConfig databaseConfig) {
        this(testConfig().withLimits(limits).withWorkers(workers).withDatabase(databaseConfig), trainer);
    }

    /** A server that lets go of a WebSocket viewer once a message to it has been in flight for {@code slowViewerTimeout}. */
    public RunningServer(Duration slowViewerTimeout) {
        this(testConfig().withTimes(Duration.ofMillis(100), Duration.ofMinutes(10), slowViewerTimeout), new Nd4jTrainer());
    }

    /** A server whose runs take turns on {@code workers} slots, a slice of {@code slice} each. */
    public RunningServer(Limits limits, int workers, Duration slice) {
        this(testConfig().withLimits(limits).withWorkers(workers)
                .withTimes(Duration.ofMillis(100), slice, WebServer.Dependencies.SLOW_VIEWER_TIMEOUT), new Nd4jTrainer());
    }

    /** A server whose Fashion-MNIST is the local copy in {@code fashionMnistDir} (as {@code FASHION_MNIST_DIR}). */
    public RunningServer(java.nio.file.Path fashionMnistDir) {
        this(testConfig().withFashionMnist(fashionMnistDir, FashionMnist.DEFAULT_BASE_URL, FashionMnist.OFFICIAL_SHA256),
                new Nd4jTrainer());
    }

    /**
     * A server without Fashion-MNIST that downloads it from {@code baseUrl} into a temporary folder,
     * checking the files against {@code sha256}.
     */
    public static RunningServer downloadingFashionMnistFrom(String baseUrl, java.util.Map<String, String> sha256) {
        return new RunningServer(testConfig().withFashionMnist(null, baseUrl, sha256), new Nd4jTrainer());
    }

    private static java.nio.file.Path temporaryFolder() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sinapsis-test");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public SessionService sessions() {
        return server.sessions();
    }

    public int port() {
        return server.port();
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
                () -> !get(apiPath).json().get("status").asText().matches("queued|running|paused"));
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

    /** Stops the server (a node's clean stop); once: a test may stop a node early, in its try block. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
        }
    }
}
