package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Eventually;
import sinapsis.support.RunningServer;
import sinapsis.support.WsViewer;

/**
 * A small class at once: 5 students join and start the course's 1→3→3→1 network for 1000 epochs at
 * the same moment while 20 WebSocket viewers watch their sessions; every run finishes, every
 * viewer gets every epoch exactly once, and the board shows all five.
 */
class ClassroomLoadTest {
    private static final int STUDENTS = 5;
    private static final int VIEWERS_PER_SESSION = 4;
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    @Test
    void fiveStudentsTrainAtOnceWhileTwentyViewersWatchAndNoEventIsLost() throws Exception {
        JsonNode created = server.post("/api/classes", "{\"name\": \"carga\"}").json();
        String code = created.get("code").asText();
        String teacher = "Bearer " + created.get("teacherToken").asText();
        List<String> students = new ArrayList<>();
        for (int i = 0; i < STUDENTS; i++) {
            students.add("Bearer " + server.post("/api/classes/" + code + "/join", "{\"name\": \"s" + i + "\"}")
                    .json().get("studentToken").asText());
        }
        String spec = """
                {"data": {"csv": "x,y\\n-1,-2\\n-0.5,-0.9\\n0,0.1\\n0.5,1.1\\n1,1.9\\n1.5,3.2\\n2,3.9",
                          "inputs": ["x"], "targets": ["y"]},
                 "network": {"layers": [{"units": 3, "activation": "relu"}, {"units": 3, "activation": "relu"},
                                        {"units": 1}]},
                 "training": {"optimizer": "adam", "learningRate": 0.01, "epochs": 1000}}""";
        List<CompletableFuture<String>> starts = new ArrayList<>();
        for (String student : students) {
            starts.add(CompletableFuture.supplyAsync(() -> {
                RunningServer.Response response = server.post("/api/sessions", spec, "Authorization", student);
                assertThat(response.status()).as(response.body()).isEqualTo(201);
                return response.json().get("id").asText();
            }));
        }
        List<String> ids = starts.stream().map(CompletableFuture::join).toList();
        List<WsViewer> viewers = new ArrayList<>();
        for (String id : ids) {
            for (int v = 0; v < VIEWERS_PER_SESSION; v++) {
                viewers.add(new WsViewer(server.port(), "/ws/sessions/" + id));
            }
        }
        for (String id : ids) {
            assertThat(server.ended("/api/sessions/" + id).get("status").asText()).isEqualTo("finished");
        }
        List<Long> every = LongStream.rangeClosed(1, 1000).boxed().toList();
        Eventually.waitFor("every viewer to have every epoch and the end", Duration.ofSeconds(60),
                () -> viewers.stream().allMatch(v -> v.seqs().size() >= 1000 && "finished".equals(v.lastStatus())));
        for (WsViewer viewer : viewers) {
            assertThat(viewer.seqs()).as("no event lost or repeated").isEqualTo(every);
        }
        JsonNode board = server.get("/api/classes/" + code, "Authorization", teacher).json();
        assertThat(board.get("students")).hasSize(STUDENTS);
        for (JsonNode student : board.get("students")) {
            assertThat(student.at("/sessions/0/status").asText()).isEqualTo("finished");
            assertThat(student.at("/sessions/0/epochs").asInt()).isEqualTo(1000);
        }
        viewers.forEach(v -> v.socket.abort());
    }
}
