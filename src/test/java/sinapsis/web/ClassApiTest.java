package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/** Classes over HTTP: join codes, student sessions, the teacher's board, locked fields, and who may do what. */
class ClassApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private record Teacher(String code, String token) {
        String bearer() {
            return "Bearer " + token;
        }
    }

    private static Teacher newClass(String name) {
        Response created = server.post("/api/classes", "{\"name\": \"" + name + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("url").asText()).isEqualTo("/teach/" + body.get("teacherToken").asText());
        return new Teacher(body.get("code").asText(), body.get("teacherToken").asText());
    }

    private static String join(String code, String name) {
        Response joined = server.post("/api/classes/" + code + "/join", "{\"name\": \"" + name + "\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        return "Bearer " + joined.json().get("studentToken").asText();
    }

    private static String session(String student, String training) {
        Response created = server.post("/api/sessions", "{\"data\": {\"dataset\": \"celsius\"}, \"training\": "
                + training + "}", "Authorization", student);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void studentsJoinWithTheCodeAndTheirSessionsShowOnTheTeachersBoard() {
        Teacher teacher = newClass("Redes 1ºB");
        assertThat(teacher.code()).matches("[ABCDEFGHJKMNPQRSTUVWXYZ2-9]{6}");
        assertThat(teacher.token().length()).isGreaterThanOrEqualTo(40);
        String ana = join(teacher.code().toLowerCase(), "Ana");
        String luis = join(teacher.code(), "Luis");
        String id = session(ana, "{\"epochs\": 50}");
        server.ended("/api/sessions/" + id);

        JsonNode board = server.get("/api/classes/" + teacher.code(), "Authorization", teacher.bearer()).json();
        assertThat(board.get("name").asText()).isEqualTo("Redes 1ºB");
        assertThat(board.get("students")).hasSize(2);
        JsonNode first = board.get("students").get(0);
        assertThat(first.get("name").asText()).isEqualTo("Ana");
        assertThat(first.at("/sessions/0/id").asText()).isEqualTo(id);
        assertThat(first.at("/sessions/0/status").asText()).isEqualTo("finished");
        assertThat(first.at("/sessions/0/epochs").asInt()).isEqualTo(50);
        assertThat(first.at("/sessions/0/curve").size()).isPositive();
        assertThat(board.get("students").get(1).get("sessions")).isEmpty();

        JsonNode mine = server.get("/api/classes/" + teacher.code() + "/student", "Authorization", luis).json();
        assertThat(mine.at("/student/name").asText()).isEqualTo("Luis");
        assertThat(mine.get("sessions")).isEmpty();
        assertThat(mine.has("leaders")).as("the leaderboard is off").isFalse();
        assertThat(mine.toString()).doesNotContain(teacher.token());
    }

    @Test
    void onlyTheTeacherSeesTheBoardAndStopsSessionsAndAStudentCannotStopAnothersSession() {
        Teacher teacher = newClass("A");
        Teacher other = newClass("B");
        String ana = join(teacher.code(), "Ana");
        String luis = join(teacher.code(), "Luis");
        String outsider = join(other.code(), "Eva");
        String running = session(ana, "{\"epochs\": 100000}");

        // a class one may not open answers as an unknown code does (404), so codes cannot be probed
        assertThat(server.get("/api/classes/" + teacher.code(), "Authorization", ana).status()).isEqualTo(404);
        assertThat(server.get("/api/classes/" + teacher.code()).status()).isEqualTo(404);
        assertThat(server.get("/api/classes/" + teacher.code(), "Authorization", other.bearer()).status())
                .isEqualTo(404);
        assertThat(server.get("/api/classes/" + teacher.code() + "/student", "Authorization", outsider).status())
                .as("a student of another class").isEqualTo(404);
        assertThat(server.post("/api/sessions/" + running + "/stop", "", "Authorization", luis).status())
                .isEqualTo(403);
        assertThat(server.post("/api/sessions/" + running + "/stop", "", "Authorization", other.bearer()).status())
                .as("another class's teacher").isEqualTo(403);
        assertThat(server.post("/api/classes/" + teacher.code() + "/stop", "", "Authorization", ana).status())
                .isEqualTo(404);
        assertThat(server.post("/api/sessions/" + running + "/stop", "", "Authorization", teacher.bearer()).status())
                .isEqualTo(200);
        assertThat(server.ended("/api/sessions/" + running).get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void stopAllStopsEverySessionOfTheClass() {
        Teacher teacher = newClass("C");
        String a = session(join(teacher.code(), "A"), "{\"epochs\": 100000}");
        String b = session(join(teacher.code(), "B"), "{\"epochs\": 100000}");
        Response stopped = server.post("/api/classes/" + teacher.code() + "/stop", "", "Authorization",
                teacher.bearer());
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("stopped").asInt()).isEqualTo(2);
        assertThat(server.ended("/api/sessions/" + a).get("status").asText()).isEqualTo("stopped");
        assertThat(server.ended("/api/sessions/" + b).get("status").asText()).isEqualTo("stopped");
    }

    @Test
    void lockedFieldsAreEnforcedByTheServer() {
        Teacher teacher = newClass("D");
        Response set = server.patch("/api/classes/" + teacher.code(), """
                {"spec": {"data": {"dataset": "celsius"}, "training": {"learningRate": 0.1, "epochs": 40}},
                 "locked": ["training.learningRate", "data"], "leaderboard": true}""",
                "Authorization", teacher.bearer());
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().at("/settings/locked/0").asText()).isEqualTo("training.learningRate");
        String student = join(teacher.code(), "Ana");

        Response changed = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"learningRate": 0.5, "epochs": 40}}""",
                "Authorization", student);
        assertThat(changed.status()).isEqualTo(400);
        assertThat(changed.json().at("/error/field").asText()).isEqualTo("training.learningRate");
        Response otherData = server.post("/api/sessions", """
                {"data": {"dataset": "metres-feet"}, "training": {"learningRate": 0.1, "epochs": 40}}""",
                "Authorization", student);
        assertThat(otherData.json().at("/error/field").asText()).isEqualTo("data");
        Response allowed = server.post("/api/sessions", """
                {"data": {"dataset": "celsius"}, "training": {"learningRate": 0.1, "epochs": 60}}""",
                "Authorization", student);
        assertThat(allowed.status()).as("the unlocked epochs may change").isEqualTo(201);
        server.ended("/api/sessions/" + allowed.json().get("id").asText());
        JsonNode mine = server.get("/api/classes/" + teacher.code() + "/student", "Authorization", student).json();
        assertThat(mine.get("leaders")).hasSize(1);
        assertThat(mine.at("/leaders/0/name").asText()).isEqualTo("Ana");

        // a fork by the student belongs to the class, and training it obeys the same locks
        Response fork = server.post("/api/sessions/" + allowed.json().get("id").asText() + "/fork", "",
                "Authorization", student);
        assertThat(fork.status()).isEqualTo(201);
        String forkOwner = "Bearer " + fork.json().get("ownerToken").asText();
        Response lockedRun = server.post("/api/sessions/" + fork.json().get("id").asText() + "/run",
                "{\"data\": {\"dataset\": \"celsius\"}, \"training\": {\"learningRate\": 0.9, \"epochs\": 60}}",
                "Authorization", forkOwner);
        assertThat(lockedRun.status()).isEqualTo(400);
        assertThat(lockedRun.json().at("/error/field").asText()).isEqualTo("training.learningRate");
        assertThat(server.get("/api/classes/" + teacher.code(), "Authorization", teacher.bearer()).json()
                .at("/students/0/sessions").size()).isEqualTo(2);

        Response badLock = server.patch("/api/classes/" + teacher.code(), "{\"locked\": [\"training.colour\"]}",
                "Authorization", teacher.bearer());
        assertThat(badLock.status()).isEqualTo(400);
        assertThat(badLock.json().at("/error/field").asText()).isEqualTo("settings.locked");
    }

    @Test
    void namesAreCheckedAndAClassNeedsOne() {
        assertThat(server.post("/api/classes", "{}").status()).isEqualTo(400);
        Teacher teacher = newClass("E");
        Response empty = server.post("/api/classes/" + teacher.code() + "/join", "{\"name\": \"  \"}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().at("/error/field").asText()).isEqualTo("name");
        Response tooLong = server.post("/api/classes/" + teacher.code() + "/join",
                "{\"name\": \"" + "x".repeat(41) + "\"}");
        assertThat(tooLong.json().at("/error/field").asText()).isEqualTo("name");
    }

    @Test
    void theJoinPagesQrCodeCarriesTheCodeAndRevealsNothingAboutIt() {
        var qr = server.get("/join/qr.svg?code=abc234");
        assertThat(qr.status()).isEqualTo(200);
        assertThat(qr.contentType()).startsWith("image/svg+xml");
        assertThat(qr.body()).startsWith("<svg").contains("<path");
        assertThat(server.get("/join/qr.svg?code=ABC234").body()).as("the code is read as a student types it")
                .isEqualTo(qr.body());
        assertThat(server.get("/join/qr.svg?code=%3Cscript%3E").status()).isEqualTo(404);
        assertThat(server.get("/join/qr.svg").status()).isEqualTo(404);
    }
}
