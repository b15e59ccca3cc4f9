package sinapsis.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the Fashion-MNIST mirror: serves the files of a folder under
 * {@code /fashion/} with their length announced, a chunk at a time with a pause between chunks
 * (0 for none), and counts the requests.
 */
public final class LocalMirror implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    public LocalMirror(Path dir, int chunkBytes, long pauseMillis) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/fashion/", exchange -> {
            requests.incrementAndGet();
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring("/fashion/".length()));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int from = 0; from < body.length; from += chunkBytes) {
                    out.write(body, from, Math.min(chunkBytes, body.length - from));
                    out.flush();
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** The base URL the files are under. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fashion/";
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
