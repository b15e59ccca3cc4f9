package sinapsis.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the size of the jar the benchmark runs from and how long a server started from it takes
 * to answer its first {@code /api/health} (a fresh process and an empty data folder, as the start
 * command would).
 */
public final class ArtifactBench {
    private static final Duration START_LIMIT = Duration.ofMinutes(2);

    private ArtifactBench() {
    }

    /** Just these two figures: {@code java -cp target/sinapsis.jar sinapsis.bench.ArtifactBench}. */
    public static void main(String[] args) throws Exception {
        run();
    }

    static void run() throws Exception {
        Path jar = Path.of(ArtifactBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            System.out.println("artifact: not run from a jar (" + jar + "), no size or start time");
            return;
        }
        System.out.printf(Locale.ROOT, "artifact: %s, %.1f MB%n", jar.getFileName(), Files.size(jar) / 1e6);
        int port = freePort();
        Path data = Files.createTempDirectory("sinapsis-bench-start");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("DATA_DIR", data.toString());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long start = System.nanoTime();
        Process server = builder.start();
        try {
            while (System.nanoTime() - start < START_LIMIT.toNanos()) {
                if (!server.isAlive()) {
                    System.out.println("artifact: the server exited with " + server.exitValue() + " before answering");
                    return;
                }
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        System.out.printf(Locale.ROOT, "server start: first /api/health answer after %.2f s%n",
                                (System.nanoTime() - start) / 1e9);
                        return;
                    }
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            System.out.println("artifact: no /api/health answer within " + START_LIMIT.toSeconds() + " s");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
