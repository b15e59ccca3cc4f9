package sinapsis.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sinapsis.App;

/**
 * The real server ({@link App}) in a JVM of its own, on a data directory, so that a test can
 * {@code kill -9} it and start it again. Its output goes to {@code server.log} in the data directory.
 */
public final class ServerProcess implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> environment;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process process;
    private int port;

    public ServerProcess(Path dataDir, Map<String, String> environment) {
        this.dataDir = dataDir;
        this.environment = new HashMap<>(environment);
    }

    /** Starts the server with these extra settings and waits until {@code /api/health} answers. */
    public ServerProcess start(Map<String, String> extra) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseSerialGC",
                "-Xlog:gc:file=" + dataDir.resolve("gc-" + port + ".log") + ":uptime",
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                "-Dlogback.configurationFile=logback.xml", // the product's logging, not the tests' (warnings only)
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), // the tests' own (see the pom)
                "-cp", System.getProperty("java.class.path"),
                App.class.getName());
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(environment);
        builder.environment().putAll(extra);
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("DATA_DIR", dataDir.toString());
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        process = builder.start();
        Eventually.waitFor("the server to answer (log: " + log() + ")", Duration.ofSeconds(90), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + "; its log ends:\n"
                        + tail(log(), 40));
            }
            try {
                return send(HttpRequest.newBuilder(uri("/api/health")).GET()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    public ServerProcess start() throws IOException {
        return start(Map.of());
    }

    public static String tail(Path file, int lines) {
        try {
            List<String> all = java.nio.file.Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public int port() {
        return port;
    }

    public Path log() {
        return dataDir.resolve("server.log");
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A JSON request as the pages send it (same origin). */
    public HttpResponse<String> json(String method, String path, String body, String token) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    /** An answer's body as JSON. */
    public static com.fasterxml.jackson.databind.JsonNode body(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    /** The session's status as this server answers it, or what went wrong reaching it. */
    public String sessionStatus(String id) {
        try {
            return body(get("/api/sessions/" + id + "?history=false")).path("status").asText();
        } catch (IOException e) {
            return "unreachable: " + e.getMessage();
        }
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
