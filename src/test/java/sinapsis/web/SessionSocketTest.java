package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Eventually;
import sinapsis.support.Json;
import sinapsis.support.RunningServer;
import sinapsis.support.WsViewer;

/** The live stream: history then live events, exact resumption with ?since=N, bad messages answered. */
class SessionSocketTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static String startSession(int epochs, double learningRate) {
        return server.post("/api/sessions", "{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"epochs\":" + epochs
                + ",\"learningRate\":" + learningRate + "}}").json().get("id").asText();
    }

    private static List<Long> oneTo(long n) {
        List<Long> seqs = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            seqs.add(i);
        }
        return seqs;
    }

    @Test
    void viewersStartOverWhenTheOwnerTrainsAgainAndAreLetGoWhenTheSessionIsDeleted() throws Exception {
        var created = server.post("/api/sessions", "{\"data\":{\"dataset\":\"celsius\"},\"training\":{\"epochs\":100}}")
                .json();
        String id = created.get("id").asText();
        String owner = "Bearer " + created.get("ownerToken").asText();
        WsViewer viewer = new WsViewer(server.port(), "/ws/sessions/" + id);
        Eventually.waitFor("the first run", Duration.ofSeconds(60), () -> "finished".equals(viewer.lastStatus()));
        int firstRun = viewer.messages.size();
        assertThat(server.post("/api/sessions/" + id + "/run", "", "Authorization", owner).status()).isEqualTo(200);
        Eventually.waitFor("the second run", Duration.ofSeconds(60), () -> viewer.messages.size() > firstRun
                && "finished".equals(viewer.lastStatus()) && viewer.seqs().size() == 200);
        // the first run's last live frame may still follow its final status: the stream's next words are the reset
        JsonNode next = viewer.messages.subList(firstRun, viewer.messages.size()).stream()
                .filter(m -> !"live".equals(m.path("type").asText())).findFirst().orElseThrow();
        assertThat(next.get("type").asText()).isEqualTo("reset");
        List<Long> expected = new ArrayList<>(oneTo(100));
        expected.addAll(oneTo(100));
        assertThat(viewer.seqs()).as("the second run from its first epoch, once").isEqualTo(expected);

        assertThat(server.delete("/api/sessions/" + id, "Authorization", owner).status()).isEqualTo(204);
        Eventually.waitFor("the viewer let go", Duration.ofSeconds(10), () -> viewer.closed);
        assertThat(viewer.closeCode).isEqualTo(4404);
        assertThat(viewer.messages.get(viewer.messages.size() - 1).get("message").asText())
                .isEqualTo("La sesión fue eliminada.");
    }

    @Test
    void aViewerGetsEveryEpochExactlyOnceInOrderThenTheFinalStatus() throws Exception {
        String id = startSession(3000, 0.05);
        WsViewer viewer = new WsViewer(server.port(), "/ws/sessions/" + id);
        Eventually.waitFor("the run to finish", Duration.ofSeconds(60), () -> "finished".equals(viewer.lastStatus()));
        assertThat(viewer.seqs()).isEqualTo(oneTo(3000));
        // at most a few dozen messages a second: coalesced, never one message per epoch
        assertThat(viewer.messages.size()).isLessThan(3000);
    }

    @Test
    void aLateViewerGetsTheHistoryFirstAndOneResumingWithSinceGetsOnlyWhatItMissed() throws Exception {
        String id = startSession(400, 0.05);
        Eventually.waitFor("the run to finish", Duration.ofSeconds(60),
                () -> "finished".equals(server.get("/api/sessions/" + id).json().get("status").asText()));
        WsViewer late = new WsViewer(server.port(), "/ws/sessions/" + id);
        Eventually.waitFor("the history", Duration.ofSeconds(10), () -> "finished".equals(late.lastStatus()));
        assertThat(late.seqs()).isEqualTo(oneTo(400));

        WsViewer resuming = new WsViewer(server.port(), "/ws/sessions/" + id + "?since=250");
        Eventually.waitFor("the rest", Duration.ofSeconds(10), () -> "finished".equals(resuming.lastStatus()));
        assertThat(resuming.seqs()).isEqualTo(oneTo(400).subList(250, 400));
    }

    @Test
    void aViewerThatReconnectsMidRunMissesNothingAndGetsNothingTwice() throws Exception {
        String id = startSession(20000, 0.01);
        WsViewer first = new WsViewer(server.port(), "/ws/sessions/" + id);
        Eventually.waitFor("some epochs", Duration.ofSeconds(30), () -> first.seqs().size() > 50);
        first.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        Eventually.waitFor("the close", Duration.ofSeconds(5), () -> first.closed);
        List<Long> before = first.seqs();
        long last = before.get(before.size() - 1);
        WsViewer again = new WsViewer(server.port(), "/ws/sessions/" + id + "?since=" + last);
        Eventually.waitFor("the run to finish", Duration.ofSeconds(90), () -> "finished".equals(again.lastStatus()));
        List<Long> all = new ArrayList<>(before);
        all.addAll(again.seqs());
        assertThat(all).isEqualTo(oneTo(20000));
    }

    @Test
    void aMessageThatIsNotJsonGetsAnErrorAndTheConnectionStays() throws Exception {
        String id = startSession(5, 0.1);
        WsViewer viewer = new WsViewer(server.port(), "/ws/sessions/" + id);
        viewer.socket.sendText("this is not json", true).get(5, TimeUnit.SECONDS);
        Eventually.waitFor("an error message", Duration.ofSeconds(5),
                () -> viewer.messages.stream().anyMatch(m -> "error".equals(m.path("type").asText())));
        JsonNode error = viewer.messages.stream().filter(m -> "error".equals(m.path("type").asText())).findFirst()
                .orElseThrow();
        assertThat(error.get("message").asText()).contains("JSON");
        viewer.socket.sendText("{\"type\":\"ping\"}", true).get(5, TimeUnit.SECONDS);
        Eventually.waitFor("a pong", Duration.ofSeconds(5),
                () -> viewer.messages.stream().anyMatch(m -> "pong".equals(m.path("type").asText())));
        assertThat(viewer.closed).isFalse();
        assertThat(server.get("/api/health").status()).isEqualTo(200);
    }

    @Test
    void anUnknownSessionIsClosedWithAMessage() throws Exception {
        WsViewer viewer = new WsViewer(server.port(), "/ws/sessions/doesNotExist");
        Eventually.waitFor("the close", Duration.ofSeconds(5), () -> viewer.closed);
        assertThat(viewer.messages).isNotEmpty();
        assertThat(viewer.messages.get(0).get("message").asText()).isEqualTo("No existe esa sesión.");
    }

    /** An id with an encoded slash is decoded into two path segments: still an unknown session, not a handler's crash. */
    @Test
    void anIdHoldingASlashIsAnUnknownSessionToo() throws Exception {
        WsViewer viewer = new WsViewer(server.port(), "/ws/sessions/a%2Fb");
        Eventually.waitFor("the close", Duration.ofSeconds(5), () -> viewer.closed);
        assertThat(viewer.closeCode).isEqualTo(4404);
        assertThat(viewer.messages).isNotEmpty();
        assertThat(viewer.messages.get(0).get("message").asText()).isEqualTo("No existe esa sesión.");
    }
}
