package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.WsViewer;

/** A viewer that stops reading holds up nobody, and is let go once it falls too far behind. */
class SlowViewerTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer(Duration.ofSeconds(2));

    /** Reads one message, then never asks for another: its socket buffers fill and the server's send stalls. */
    private static final class StalledViewer implements WebSocket.Listener {
        final AtomicInteger messages = new AtomicInteger();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            messages.incrementAndGet();
            return null;
        }
    }

    private static int viewers() {
        return server.get("/api/health").json().get("viewers").asInt();
    }

    @Test
    void aViewerThatStopsReadingIsLetGoWhileTheOthersGetEverything() throws Exception {
        // xor with validation: each epoch event carries val_loss, accuracy and val_accuracy (~150 bytes)
        var created = server.post("/api/sessions", "{\"data\":{\"dataset\":\"xor\"},"
                + "\"training\":{\"epochs\":60000,\"validationSplit\":0.25}}").json();
        String id = created.get("id").asText();
        Eventually.waitFor("the run to finish", Duration.ofSeconds(120),
                () -> "finished".equals(server.get("/api/sessions/" + id + "?history=false").json()
                        .get("status").asText()));
        int before = viewers();
        StalledViewer stalled = new StalledViewer();
        WebSocket stalledSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + server.port() + "/ws/sessions/" + id), stalled)
                .get(10, TimeUnit.SECONDS);
        WsViewer reader = new WsViewer(server.port(), "/ws/sessions/" + id);
        Eventually.waitFor("both connected", Duration.ofSeconds(10), () -> viewers() == before + 2);

        Eventually.waitFor("the reader to get the whole history", Duration.ofSeconds(60),
                () -> reader.seqs().size() >= 60_000);
        assertThat(reader.seqs()).isEqualTo(LongStream.rangeClosed(1, 60_000).boxed().toList());
        Eventually.waitFor("the stalled viewer to be let go", Duration.ofSeconds(30), () -> viewers() == before + 1);
        assertThat(stalled.messages.get()).isEqualTo(1);
        assertThat(reader.closed).as("the reader stays").isFalse();
        stalledSocket.abort();
    }
}
