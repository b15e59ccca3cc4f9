package sinapsis.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A test client that records every message. */
public final class WsViewer implements WebSocket.Listener {
    public final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    public final WebSocket socket;
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    public volatile boolean closed;
    public volatile int closeCode;

    public WsViewer(int port, String path) throws Exception {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Accept-Language", "es")
                .buildAsync(URI.create("ws://localhost:" + port + path), this)
                .get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(Json.MAPPER.readTree(partial.toString()));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    /** The live frames: binary messages of UTF-8 JSON. */
    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.write(bytes, 0, bytes.length);
        if (last) {
            try {
                messages.add(Json.MAPPER.readTree(binary.toByteArray()));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        closed = true;
        return null;
    }

    public List<Long> seqs() {
        List<Long> seqs = new ArrayList<>();
        for (JsonNode message : messages) {
            message.path("events").forEach(e -> seqs.add(e.get("seq").asLong()));
        }
        return seqs;
    }

    public String lastStatus() {
        String status = null;
        for (JsonNode message : messages) {
            if (message.has("status")) {
                status = message.at("/status/status").asText();
            }
        }
        return status;
    }
}
