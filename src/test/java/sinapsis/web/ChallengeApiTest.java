package sinapsis.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import sinapsis.support.Json;
import sinapsis.support.RunningServer;
import sinapsis.support.RunningServer.Response;

/**
 * Challenges over HTTP: held-out rows that no student-facing answer holds, scoring on them (checked
 * here against the session's own predictions for the rows the training part lacks), constraints,
 * locks, attempts, deadline, who may do what, and the gradebook.
 */
class ChallengeApiTest {
    @RegisterExtension
    static final RunningServer server = new RunningServer();

    private record Teacher(String code, String bearer) {
    }

    private record Attempt(String id, String owner) {
        String bearer() {
            return "Bearer " + owner;
        }
    }

    private static Teacher newClass() {
        JsonNode created = server.post("/api/classes", "{\"name\": \"Redes\"}").json();
        return new Teacher(created.get("code").asText(), "Bearer " + created.get("teacherToken").asText());
    }

    private static String join(Teacher teacher, String name) {
        Response joined = server.post("/api/classes/" + teacher.code() + "/join", "{\"name\": \"" + name + "\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        return "Bearer " + joined.json().get("studentToken").asText();
    }

    private static String challengesPath(Teacher teacher) {
        return "/api/classes/" + teacher.code() + "/challenges";
    }

    /** The XOR challenge: test_accuracy ≥ 0.9 with at most 50 parameters, 25 % held out. */
    private static JsonNode xorChallenge(Teacher teacher, String extra) {
        Response created = server.post(challengesPath(teacher), """
                {"title": {"es": "XOR con pocas neuronas", "en": "XOR with few neurons"},
                 "instructions": "Separa las dos clases.\\nComo mucho 50 parámetros.",
                 "spec": {"data": {"dataset": "xor"},
                          "training": {"epochs": 200, "learningRate": 0.05, "validationSplit": 0}},
                 "target": {"metric": "test_accuracy", "op": ">=", "value": 0.9},
                 "constraints": {"maxParameters": 50, "maxEpochs": 400},
                 "testFraction": 0.25, "seed": 7, "state": "open" %s}""".formatted(extra),
                "Authorization", teacher.bearer());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    /** The challenge's starting spec as a student gets it, with {@code changes} merged into its training. */
    private static ObjectNode spec(JsonNode studentView, String trainingChanges) {
        ObjectNode spec = studentView.at("/challenge/spec").deepCopy();
        if (trainingChanges != null) {
            ((ObjectNode) spec.get("training")).setAll((ObjectNode) Json.parse(trainingChanges));
        }
        return spec;
    }

    private static Response attempt(String student, String challengeId, ObjectNode spec) {
        ObjectNode body = spec.deepCopy();
        body.put("challenge", challengeId);
        return server.post("/api/sessions", body.toString(), "Authorization", student);
    }

    private static Attempt attempted(String student, String challengeId, ObjectNode spec) {
        Response created = attempt(student, challengeId, spec);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return new Attempt(created.json().get("id").asText(), created.json().get("ownerToken").asText());
    }

    private static JsonNode studentView(String student, Teacher teacher, String challengeId) {
        Response view = server.get(challengesPath(teacher) + "/" + challengeId + "?spec=true", "Authorization",
                student);
        assertThat(view.status()).as(view.body()).isEqualTo(200);
        return view.json();
    }

    /** Waits for the run to end, then for the attempt to be scored (or voided) and returns it. */
    private static JsonNode scored(Attempt attempt) {
        server.ended("/api/sessions/" + attempt.id());
        sinapsis.support.Eventually.waitFor("the attempt to be scored", java.time.Duration.ofSeconds(30),
                () -> !server.get("/api/sessions/" + attempt.id() + "/challenge").json().at("/attempt/state").asText()
                        .equals("going"));
        return server.get("/api/sessions/" + attempt.id() + "/challenge").json().get("attempt");
    }

    /** The data rows of a CSV text (its header left out). */
    private static List<String> rows(String csv) {
        List<String> lines = new ArrayList<>(List.of(csv.replace("\r\n", "\n").strip().split("\n")));
        lines.remove(0);
        return lines;
    }

    /** The built-in rows the training part lacks: the held-out rows, worked out without the server's split. */
    private static List<String> heldOut(String full, String trainingPart) {
        Map<String, Integer> left = new HashMap<>();
        rows(trainingPart).forEach(row -> left.merge(row, 1, Integer::sum));
        List<String> held = new ArrayList<>();
        for (String row : rows(full)) {
            if (left.getOrDefault(row, 0) > 0) {
                left.merge(row, -1, Integer::sum);
            } else {
                held.add(row);
            }
        }
        return held;
    }

    private static void assertHoldsNone(String answer, List<String> heldOut, String what) {
        String text = answer.replace("\\n", "\n").replace("\\r", "\n");
        java.util.Set<String> lines = new java.util.HashSet<>();
        for (String line : text.split("[\n\"]")) {
            lines.add(line.strip());
        }
        for (String row : heldOut) {
            assertThat(lines).as(what + " holds the held-out row " + row).doesNotContain(row);
        }
    }

    @Test
    void theXorChallengeIsScoredOnRowsNoStudentEverSees() throws IOException {
        Teacher teacher = newClass();
        String ana = join(teacher, "Ana");
        String luis = join(teacher, "Luis");
        join(teacher, "Eva"); // joins and never tries
        JsonNode challenge = xorChallenge(teacher, "");
        String id = challenge.get("id").asText();
        assertThat(challenge.get("heldOutRows").asInt()).isEqualTo(50);
        assertThat(challenge.get("trainRows").asInt()).isEqualTo(150);

        JsonNode view = studentView(ana, teacher, id);
        assertThat(view.get("role").asText()).isEqualTo("student");
        assertThat(view.at("/challenge/title").asText()).isEqualTo("XOR with few neurons");
        assertThat(view.at("/challenge/instructions").asText()).contains("\n");
        assertThat(view.has("students")).as("a student sees no one else's results").isFalse();
        assertThat(view.at("/challenge/seed").isMissingNode()).as("the seed would tell the held-out rows").isTrue();
        String trainingPart = view.at("/challenge/spec/data/csv").asText();
        String full = Files.readString(Path.of("datasets/xor.csv"));
        List<String> held = heldOut(full, trainingPart);
        assertThat(held).hasSize(50);

        Attempt good = attempted(ana, id, spec(view, null));
        Attempt weak = attempted(luis, id, spec(view, "{\"epochs\": 1, \"optimizer\": \"sgd\", \"learningRate\": 0.0001}"));
        JsonNode goodScore = scored(good);
        JsonNode weakScore = scored(weak);
        assertThat(goodScore.get("state").asText()).isEqualTo("scored");
        assertThat(goodScore.get("met").asBoolean()).as(goodScore.toString()).isTrue();
        assertThat(weakScore.get("met").asBoolean()).as(weakScore.toString()).isFalse();
        assertThat(weakScore.get("margin").asDouble()).isNegative();

        // the score is the accuracy of the session's own predictions on exactly the rows it never trained on
        ArrayNode inputs = Json.MAPPER.createArrayNode();
        List<String> labels = new ArrayList<>();
        for (String row : held) {
            String[] cells = row.split(",");
            inputs.addArray().add(Double.parseDouble(cells[0])).add(Double.parseDouble(cells[1]));
            labels.add(cells[2]);
        }
        JsonNode predicted = server.post("/api/sessions/" + good.id() + "/predict",
                "{\"inputs\": " + inputs + "}").json();
        int right = 0;
        for (int r = 0; r < labels.size(); r++) {
            right += predicted.at("/labels/" + r).asText().equals(labels.get(r)) ? 1 : 0;
        }
        assertThat(goodScore.get("score").asDouble()).isEqualTo((double) right / labels.size());
        assertThat(goodScore.get("margin").asDouble()).isEqualTo(goodScore.get("score").asDouble() - 0.9,
                org.assertj.core.data.Offset.offset(1e-12));

        // no answer a student can get holds a held-out row
        assertHoldsNone(server.get(challengesPath(teacher) + "/" + id + "?spec=true", "Authorization", ana).body(),
                held, "the view");
        assertThat(server.get(challengesPath(teacher) + "/" + id, "Authorization", ana).json().at("/challenge/spec")
                .isMissingNode()).as("the view read every few seconds carries no table").isTrue();
        assertHoldsNone(server.get(challengesPath(teacher), "Authorization", ana).body(), held, "the list");
        assertHoldsNone(server.get("/api/classes/" + teacher.code() + "/student", "Authorization", ana).body(), held,
                "the class");
        for (String path : List.of("", "/challenge", "/data.csv", "/spec.json", "/training-data.csv", "/code/keras",
                "/code/pytorch", "/history.json")) {
            Response answer = server.get("/api/sessions/" + good.id() + path, "Authorization", good.bearer());
            assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
            assertHoldsNone(answer.body(), held, path);
        }

        // the teacher sees who met it, and so does the gradebook
        JsonNode results = server.get(challengesPath(teacher) + "/" + id, "Authorization", teacher.bearer()).json();
        assertThat(results.get("role").asText()).isEqualTo("teacher");
        assertThat(results.get("tried").asInt()).isEqualTo(2);
        assertThat(results.get("met").asInt()).isEqualTo(1);
        JsonNode students = results.get("students");
        assertThat(students).hasSize(3);
        assertThat(students.get(0).get("name").asText()).isEqualTo("Ana");
        assertThat(students.get(0).get("met").asBoolean()).isTrue();
        assertThat(students.get(0).at("/best/url").asText()).isEqualTo("/s/" + good.id());
        assertThat(students.get(0).at("/best/curve/loss").size()).isPositive();
        assertThat(students.get(1).get("met").asBoolean()).isFalse();
        assertThat(students.get(1).get("attemptsUsed").asInt()).isEqualTo(1);
        assertThat(students.get(2).get("attemptsUsed").asInt()).isZero();
        assertThat(students.get(2).has("best")).isFalse();

        Response csv = server.get(challengesPath(teacher) + "/" + id + "/results.csv?lang=es&tz=Europe/Madrid",
                "Authorization", teacher.bearer());
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body()).startsWith("\uFEFF");
        List<String> lines = List.of(csv.body().substring(1).split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("estudiante;intentos;mejor test_accuracy;conseguido;hora del mejor;sesión");
        assertThat(lines.get(1)).startsWith("Ana;1;" + Gradebook.number(goodScore.get("score").asDouble(), true)
                + ";sí;").endsWith("/s/" + good.id());
        assertThat(lines.get(1).split(";")[2]).as("a decimal comma").contains(",");
        assertThat(lines.get(2)).startsWith("Luis;1;").contains(";no;");
        assertThat(lines.get(3)).isEqualTo("Eva;0;;no;;");
        String english = server.get(challengesPath(teacher) + "/" + id + "/results.csv?lang=en", "Authorization",
                teacher.bearer()).body();
        assertThat(english.substring(1).split("\r\n")[0]).isEqualTo("student,attempts,best test_accuracy,met,time of best,session");
        assertThat(english).contains("Ana,1," + Gradebook.number(goodScore.get("score").asDouble(), false) + ",yes,");
    }

    @Test
    void constraintsLocksAndTheDataAreRefusedNamingTheField() {
        Teacher teacher = newClass();
        String ana = join(teacher, "Ana");
        String id = xorChallenge(teacher, ", \"locked\": [\"training.learningRate\"], "
                + "\"constraints\": {\"maxParameters\": 50, \"maxEpochs\": 400, \"optimizer\": \"adam\"}")
                .get("id").asText();
        JsonNode view = studentView(ana, teacher, id);

        ObjectNode big = spec(view, null);
        ((ObjectNode) big.at("/network/layers/0")).put("units", 32);
        assertRefused(attempt(ana, id, big), "network.layers", "162");
        assertRefused(attempt(ana, id, spec(view, "{\"epochs\": 401}")), "training.epochs", "400");
        assertRefused(attempt(ana, id, spec(view, "{\"optimizer\": \"sgd\"}")), "training.optimizer", "adam");
        assertRefused(attempt(ana, id, spec(view, "{\"learningRate\": 0.5}")), "training.learningRate", null);
        ObjectNode wholeSet = spec(view, null);
        ((ObjectNode) wholeSet.get("data")).remove("csv");
        ((ObjectNode) wholeSet.get("data")).put("dataset", "xor");
        assertRefused(attempt(ana, id, wholeSet), "data", null);
        ObjectNode otherRows = spec(view, null);
        ((ObjectNode) otherRows.get("data")).put("csv", "x,y,class\n0.1,0.2,0\n0.3,0.4,1\n");
        assertRefused(attempt(ana, id, otherRows), "data", null);
        assertThat(studentView(ana, teacher, id).get("attemptsUsed").asInt()).as("refused ones do not count").isZero();
    }

    private static void assertRefused(Response response, String field, String mentioned) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().at("/error/field").asText()).isEqualTo(field);
        if (mentioned != null) {
            assertThat(response.json().at("/error/message").asText()).contains(mentioned);
        }
    }

    @Test
    void attemptsAreCountedAndTheDeadlineAndClosingEndThem() {
        Teacher teacher = newClass();
        String ana = join(teacher, "Ana");
        String id = xorChallenge(teacher, ", \"attempts\": 2").get("id").asText();
        JsonNode view = studentView(ana, teacher, id);
        ObjectNode quick = spec(view, "{\"epochs\": 5}");

        Attempt first = attempted(ana, id, quick);
        scored(first);
        Response again = server.post("/api/sessions/" + first.id() + "/run", "", "Authorization", first.bearer());
        assertThat(again.status()).as("an attempt's session keeps it: another attempt is a copy").isEqualTo(409);
        Response copy = server.post("/api/sessions/" + first.id() + "/fork", "", "Authorization", ana);
        assertThat(copy.status()).as(copy.body()).isEqualTo(201);
        Attempt second = new Attempt(copy.json().get("id").asText(), copy.json().get("ownerToken").asText());
        Response run = server.post("/api/sessions/" + second.id() + "/run", quick.toString(), "Authorization",
                second.bearer());
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        scored(second);
        JsonNode after = studentView(ana, teacher, id);
        assertThat(after.get("attemptsUsed").asInt()).isEqualTo(2);
        assertThat(after.get("attemptsLeft").asInt()).isZero();
        assertThat(after.get("canAttempt").asBoolean()).isFalse();
        assertThat(after.get("attempts")).hasSize(2);
        assertRefused(attempt(ana, id, quick), "challenge", "2");
        assertThat(server.delete("/api/sessions/" + first.id(), "Authorization", first.bearer()).status())
                .as("an attempt stays in the gradebook").isEqualTo(409);

        // a deadline in the past, then a closed challenge: no attempt either way
        String luis = join(teacher, "Luis");
        Response late = server.patch(challengesPath(teacher) + "/" + id, "{\"deadline\": \"2020-01-01T00:00:00Z\"}",
                "Authorization", teacher.bearer());
        assertThat(late.status()).as(late.body()).isEqualTo(200);
        assertRefused(attempt(luis, id, quick), "challenge", null);
        server.patch(challengesPath(teacher) + "/" + id, "{\"deadline\": null, \"state\": \"closed\"}",
                "Authorization", teacher.bearer());
        assertRefused(attempt(luis, id, quick), "challenge", null);
        server.patch(challengesPath(teacher) + "/" + id, "{\"state\": \"open\"}", "Authorization", teacher.bearer());
        assertThat(attempt(luis, id, quick).status()).isEqualTo(201);

        // the data and its cut stay once there are attempts
        Response resplit = server.patch(challengesPath(teacher) + "/" + id, "{\"testFraction\": 0.3}",
                "Authorization", teacher.bearer());
        assertThat(resplit.status()).isEqualTo(400);
        assertThat(resplit.json().at("/error/field").asText()).isEqualTo("testFraction");
    }

    @Test
    void studentsGetA403OnTheTeachersEndpointsAndOutsidersA404() {
        Teacher teacher = newClass();
        Teacher other = newClass();
        String ana = join(teacher, "Ana");
        String outsider = join(other, "Eva");
        String id = xorChallenge(teacher, "").get("id").asText();
        String path = challengesPath(teacher);

        assertThat(server.post(path, "{}", "Authorization", ana).status()).isEqualTo(403);
        assertThat(server.patch(path + "/" + id, "{\"state\": \"closed\"}", "Authorization", ana).status())
                .isEqualTo(403);
        assertThat(server.get(path + "/" + id + "/results.csv", "Authorization", ana).status()).isEqualTo(403);
        assertThat(server.get(path + "/" + id, "Authorization", outsider).status()).isEqualTo(404);
        assertThat(server.get(path, "Authorization", other.bearer()).status()).isEqualTo(404);
        assertThat(server.get(path + "/" + id + "/results.csv").status()).isEqualTo(404);
        assertThat(server.get(challengesPath(other) + "/" + id, "Authorization", other.bearer()).status())
                .as("another class's challenge").isEqualTo(404);

        // a draft is the teacher's only; the join lands on the newest open challenge
        String draft = server.post(path, """
                {"title": "Borrador", "spec": {"data": {"dataset": "xor"}},
                 "target": {"metric": "accuracy", "value": 0.8}}""", "Authorization", teacher.bearer())
                .json().get("id").asText();
        assertThat(server.get(path + "/" + draft, "Authorization", ana).status()).isEqualTo(404);
        assertThat(server.get(path, "Authorization", ana).json()).hasSize(1);
        JsonNode joined = server.post("/api/classes/" + teacher.code() + "/join", "{\"name\": \"Iker\"}").json();
        assertThat(joined.get("landing").asText()).isEqualTo("/classes/" + teacher.code() + "/challenges/" + id);
        ObjectNode onDraft = studentView(ana, teacher, id).at("/challenge/spec").deepCopy();
        assertRefused(attempt(ana, draft, onDraft), "challenge", null);
        assertThat(attempt(teacher.bearer(), id, onDraft).status())
                .as("a teacher makes no attempts").isEqualTo(403);
    }

    @Test
    void badChallengesAreRefusedNamingTheField() {
        Teacher teacher = newClass();
        String path = challengesPath(teacher);
        String base = "\"title\": \"T\", \"spec\": {\"data\": {\"dataset\": \"xor\"}}";
        Map<String, String> cases = Map.of(
                "{" + base + ", \"target\": {\"metric\": \"test_mae\", \"value\": 1}}", "target.metric",
                "{" + base + ", \"target\": {\"metric\": \"f1\", \"value\": 1}}", "target.metric",
                "{" + base + ", \"target\": {\"metric\": \"accuracy\", \"value\": \"mucho\"}}", "target.value",
                "{" + base + ", \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}, \"testFraction\": 0.9}",
                "testFraction",
                "{" + base + ", \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}, \"attempts\": 0}", "attempts",
                "{" + base + ", \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}, \"deadline\": \"mañana\"}",
                "deadline",
                "{\"spec\": {\"data\": {\"dataset\": \"xor\"}}, \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}}",
                "title",
                "{" + base + ", \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}, \"locked\": [\"nope\"]}",
                "locked",
                "{" + base + ", \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}, \"hidden\": true}", "hidden",
                "{\"title\": \"T\", \"spec\": {\"data\": {\"dataset\": \"fashion-mnist\"}}, "
                        + "\"target\": {\"metric\": \"accuracy\", \"value\": 0.9}}", "spec.data.dataset");
        cases.forEach((body, field) -> {
            Response refused = server.post(path, body, "Authorization", teacher.bearer());
            assertThat(refused.status()).as(body + " → " + refused.body()).isEqualTo(400);
            assertThat(refused.json().at("/error/field").asText()).as(body).isEqualTo(field);
        });
        assertThat(server.post(path, "not json", "Authorization", teacher.bearer()).status()).isEqualTo(400);
        assertThat(server.get(path, "Authorization", teacher.bearer()).json()).isEmpty();
    }

    @Test
    void aPastedRegressionTableIsScoredInItsOwnUnits() {
        Teacher teacher = newClass();
        String ana = join(teacher, "Ana");
        String luis = join(teacher, "Luis");
        StringBuilder table = new StringBuilder("metros;pies\n");
        for (int i = 0; i < 80; i++) {
            double metres = i * 0.5;
            table.append(String.valueOf(metres).replace('.', ',')).append(';')
                    .append(String.valueOf(Math.round(metres * 3.28084 * 1000) / 1000.0).replace('.', ',')).append('\n');
        }
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("title", "Metros a pies");
        ObjectNode data = request.putObject("spec").putObject("data");
        data.put("csv", table.toString());
        data.putArray("inputs").add("metros");
        data.putArray("targets").add("pies");
        ((ObjectNode) request.get("spec")).set("training", Json.parse(
                "{\"loss\": \"mse\", \"optimizer\": \"adam\", \"learningRate\": 0.1, \"epochs\": 300, \"validationSplit\": 0}"));
        request.set("target", Json.parse("{\"metric\": \"mae\", \"op\": \"<=\", \"value\": 1.5}"));
        request.put("testFraction", 0.2).put("seed", 5).put("state", "open");
        Response created = server.post(challengesPath(teacher), request.toString(), "Authorization", teacher.bearer());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().at("/target/metric").asText()).isEqualTo("test_mae");
        assertThat(created.json().get("heldOutRows").asInt()).isEqualTo(16);

        JsonNode view = studentView(ana, teacher, id);
        String trainingPart = view.at("/challenge/spec/data/csv").asText();
        assertThat(trainingPart).startsWith("metros;pies\n").contains(",5;");
        List<String> held = heldOut(table.toString(), trainingPart);
        assertThat(held).hasSize(16);
        JsonNode good = scored(attempted(ana, id, spec(view, null)));
        JsonNode weak = scored(attempted(luis, id, spec(view, "{\"epochs\": 1, \"learningRate\": 0.001}")));
        assertThat(good.get("met").asBoolean()).as(good.toString()).isTrue();
        assertThat(good.at("/metrics/test_mae").asDouble()).isEqualTo(good.get("score").asDouble());
        assertThat(good.at("/metrics/test_r2").asDouble()).isGreaterThan(0.99);
        assertThat(weak.get("met").asBoolean()).isFalse();
        assertThat(weak.get("score").asDouble()).as("feet off, in feet").isGreaterThan(5);
        assertHoldsNone(server.get(challengesPath(teacher) + "/" + id, "Authorization", ana).body(), held, "the view");

        // a teacher who loosens the target changes who met it, without training again
        server.patch(challengesPath(teacher) + "/" + id, "{\"target\": {\"metric\": \"mae\", \"value\": 1000}}",
                "Authorization", teacher.bearer());
        JsonNode results = server.get(challengesPath(teacher) + "/" + id, "Authorization", teacher.bearer()).json();
        assertThat(results.get("met").asInt()).isEqualTo(2);
    }

    @Test
    void anImageSetIsScoredOnItsOwnTestSplitWhichNoChallengeSessionShows() {
        Teacher teacher = newClass();
        String ana = join(teacher, "Ana");
        Response created = server.post(challengesPath(teacher), """
                {"title": "Formas",
                 "spec": {"data": {"dataset": "shapes", "trainingRows": 600},
                          "network": {"layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
                                                 {"type": "maxpool2d", "size": 2}, {"type": "flatten"},
                                                 {"type": "dense", "units": 6, "activation": "softmax"}]},
                          "training": {"loss": "crossentropy", "optimizer": "adam", "learningRate": 0.005,
                                       "epochs": 3, "batchSize": 16, "validationSplit": 0.2}},
                 "target": {"metric": "test_accuracy", "value": 0.5},
                 "testFraction": 0.25, "seed": 3, "state": "open"}""", "Authorization", teacher.bearer());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("testSplit").asBoolean()).isTrue();
        assertThat(created.json().get("heldOutRows").asInt()).as("the set's whole test split").isEqualTo(300);
        assertThat(created.json().get("trainRows").asInt()).isEqualTo(600);
        Response recut = server.patch(challengesPath(teacher) + "/" + id, "{\"testFraction\": 0.3}",
                "Authorization", teacher.bearer());
        assertRefused(recut, "testFraction", "shapes");

        JsonNode view = studentView(ana, teacher, id);
        ObjectNode onTable = spec(view, null);
        ((ObjectNode) onTable.get("data")).removeAll().put("csv", "x,y\n1,a\n2,b\n");
        assertRefused(attempt(ana, id, onTable), "data", null);

        Attempt attempt = attempted(ana, id, spec(view, null));
        JsonNode score = scored(attempt);
        JsonNode session = server.get("/api/sessions/" + attempt.id()).json();
        assertThat(score.get("state").asText()).isEqualTo("scored");
        assertThat(score.get("score").asDouble()).as("the result's own figure on the test split")
                .isEqualTo(session.at("/result/metrics/test_accuracy").asDouble());
        assertThat(score.get("met").asBoolean()).as(score.toString()).isTrue();
        JsonNode samples = server.get("/api/sessions/" + attempt.id() + "/samples?count=100").json();
        assertThat(samples.get("split").asText()).isEqualTo("validation");
        assertThat(samples.get("images")).hasSize(100);
        Response lastShown = server.get("/api/sessions/" + attempt.id() + "/activations?sample=99");
        assertThat(lastShown.status()).as(lastShown.body()).isEqualTo(200);

        // the same images in a session of no challenge show the test split, as always
        Response plain = server.post("/api/sessions", session.get("spec").toString());
        assertThat(plain.status()).as(plain.body()).isEqualTo(201);
        assertThat(server.get("/api/sessions/" + plain.json().get("id").asText() + "/samples").json().get("split")
                .asText()).isEqualTo("test");
    }
}
