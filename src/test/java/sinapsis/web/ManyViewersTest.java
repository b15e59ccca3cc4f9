package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.WsViewer;

/** A class watching one session: 50 viewers, one of whom drops and reconnects mid-run. */
class ManyViewersTest {
    private static final int VIEWERS = 50;
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private static long epochs(String id) {
        return server.get("/api/sessions/" + id).json().get("history").size();
    }

    @Test
    void everyViewerGetsEveryEpochExactlyOnceEvenAfterReconnecting() throws Exception {
        var created = server.post("/api/sessions",
                "{\"data\":{\"dataset\":\"spirals\"},\"training\":{\"epochs\":100000}}").json();
        String id = created.get("id").asText();
        String owner = "Bearer " + created.get("ownerToken").asText();
        Eventually.waitFor("the run to be going", Duration.ofSeconds(30), () -> epochs(id) > 20);

        List<WsViewer> viewers = new ArrayList<>();
        for (int i = 0; i < VIEWERS - 1; i++) {
            viewers.add(new WsViewer(server.port(), "/ws/sessions/" + id));
        }
        WsViewer dropping = new WsViewer(server.port(), "/ws/sessions/" + id);
        Eventually.waitFor("the dropping viewer to get live epochs", Duration.ofSeconds(30),
                () -> dropping.seqs().size() > 50);
        dropping.socket.abort();
        List<Long> beforeDrop = dropping.seqs();
        long last = beforeDrop.get(beforeDrop.size() - 1);
        assertThat(server.get("/api/sessions/" + id).json().get("status").asText())
                .as("the drop happens mid-run").isEqualTo("running");
        WsViewer back = new WsViewer(server.port(), "/ws/sessions/" + id + "?since=" + last);
        Eventually.waitFor("live epochs after reconnecting", Duration.ofSeconds(30),
                () -> back.seqs().size() > 50);

        assertThat(server.post("/api/sessions/" + id + "/stop", "", "Authorization", owner).status()).isEqualTo(200);
        Eventually.waitFor("the run to stop", Duration.ofSeconds(30),
                () -> server.get("/api/sessions/" + id).json().get("status").asText().equals("stopped"));
        long total = epochs(id);
        List<Long> all = LongStream.rangeClosed(1, total).boxed().toList();
        // the final status may come one tick after the last epochs (they were read before the run ended)
        Eventually.waitFor("every viewer to have every epoch and the final status", Duration.ofSeconds(60),
                () -> viewers.stream().allMatch(v -> v.seqs().size() >= total && "stopped".equals(v.lastStatus()))
                        && back.seqs().size() >= total - last && "stopped".equals(back.lastStatus()));

        for (WsViewer viewer : viewers) {
            assertThat(viewer.seqs()).isEqualTo(all);
            assertThat(viewer.lastStatus()).isEqualTo("stopped");
        }
        List<Long> rejoined = new ArrayList<>(beforeDrop);
        rejoined.addAll(back.seqs());
        assertThat(rejoined).isEqualTo(all);
        assertThat(back.lastStatus()).isEqualTo("stopped");
    }
}
