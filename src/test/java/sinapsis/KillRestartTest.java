package sinapsis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sinapsis.support.Eventually;
import sinapsis.support.Json;

/**
 * The server process is killed with SIGKILL during a long training and started again on the same
 * data directory (the default SQLite file database): the session is there, interrupted, with its
 * history up to about a second before the kill, and a finished session is unchanged.
 */
class KillRestartTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private Process server;
    private int port;

    @TempDir
    Path dataDir;

    @AfterEach
    void kill() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    private void startServer() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=0",
                "-cp", System.getProperty("java.class.path"), App.class.getName());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("DATA_DIR", dataDir.toString());
        builder.environment().put("WORKERS", "1");
        builder.environment().remove("DATABASE_URL");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                dataDir.resolve("server.log").toFile()));
        server = builder.start();
        Eventually.waitFor("the server to answer (log: " + dataDir.resolve("server.log") + ")",
                Duration.ofSeconds(90), () -> {
                    try {
                        return get("/api/health").statusCode() == 200;
                    } catch (IOException e) {
                        return false;
                    }
                });
    }

    private HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private JsonNode session(String id) throws IOException {
        return Json.parse(get("/api/sessions/" + id).body());
    }

    private String create(String spec) throws IOException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/api/sessions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.parse(response.body()).get("id").asText();
    }

    private String status(String id) {
        try {
            return session(id).get("status").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long epochs(String id) {
        try {
            return session(id).get("history").size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aKilledServerComesBackWithTheInterruptedSessionAndItsHistory() throws Exception {
        startServer();
        String finished = create("{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"epochs\":300}}");
        Eventually.waitFor("the short session to finish", Duration.ofSeconds(60),
                () -> "finished".equals(status(finished)));
        JsonNode finishedBefore = session(finished);
        String running = create("{\"data\":{\"dataset\":\"spirals\"},\"training\":{\"epochs\":100000}}");
        Eventually.waitFor("the long session to train a while", Duration.ofSeconds(60), () -> epochs(running) > 200);

        long secondBeforeKill = epochs(running);
        Thread.sleep(1000);
        long atKill = epochs(running);
        server.destroyForcibly().waitFor();
        assertThat(atKill).as("still training at the kill").isGreaterThan(secondBeforeKill);

        startServer();
        JsonNode after = session(running);
        assertThat(after.get("status").asText()).isEqualTo("interrupted");
        List<JsonNode> history = new java.util.ArrayList<>();
        after.get("history").forEach(history::add);
        System.out.printf("kill -9: %d epochs shown 1 s before the kill, %d at the kill, %d stored%n",
                secondBeforeKill, atKill, history.size());
        assertThat((long) history.size()).as("history kept up to about a second before the kill")
                .isGreaterThanOrEqualTo(secondBeforeKill).isLessThanOrEqualTo(atKill + 1000);
        for (int i = 0; i < history.size(); i++) {
            assertThat(history.get(i).get("seq").asLong()).isEqualTo(i + 1);
        }
        JsonNode finishedAfter = session(finished);
        assertThat(finishedAfter.get("history")).isEqualTo(finishedBefore.get("history"));
        assertThat(finishedAfter.get("result")).isEqualTo(finishedBefore.get("result"));
        assertThat(finishedAfter.get("status").asText()).isEqualTo("finished");
        assertThat(Files.exists(dataDir.resolve("sinapsis.db"))).isTrue();
    }
}
