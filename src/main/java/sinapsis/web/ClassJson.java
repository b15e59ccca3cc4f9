package sinapsis.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.ClassSettings;
import sinapsis.classroom.Leaderboard;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.store.SessionListing;

/** A class as its teacher's board and as one of its students see it. */
final class ClassJson {
    private final ObjectMapper json;
    private final ClassService classes;

    ClassJson(ObjectMapper json, ClassService classes) {
        this.json = json;
        this.classes = classes;
    }

    /** The teacher's board: settings, every student with their latest sessions, the leaderboard. */
    ObjectNode board(StoredClass classroom) {
        ObjectNode node = json.createObjectNode().put("code", classroom.code()).put("name", classroom.name())
                .put("createdAt", classroom.createdAt());
        node.set("settings", classes.settings(classroom).toJson());
        ArrayNode students = node.putArray("students");
        List<ClassService.BoardRow> rows = classes.board(classroom);
        for (ClassService.BoardRow row : rows) {
            ObjectNode student = students.addObject().put("id", row.student().id()).put("name", row.student().name())
                    .put("joinedAt", row.student().createdAt());
            ArrayNode list = student.putArray("sessions");
            row.sessions().forEach(l -> list.add(listing(l)));
        }
        node.set("leaders", json.valueToTree(Leaderboard.of(rows)));
        return node;
    }

    /**
     * What a student of the class (or its teacher) sees: the class's name, starting configuration,
     * locked fields, the student's own sessions, and the leaderboard when it is on (always for the teacher).
     */
    ObjectNode forStudent(StoredClass classroom, Optional<StoredStudent> student, boolean teacher) {
        ClassSettings settings = classes.settings(classroom);
        ObjectNode node = json.createObjectNode().put("code", classroom.code()).put("name", classroom.name());
        node.set("spec", settings.spec());
        node.set("locked", settings.locked());
        node.put("leaderboard", settings.leaderboard());
        student.ifPresent(s -> node.putObject("student").put("id", s.id()).put("name", s.name()));
        List<ClassService.BoardRow> rows = classes.board(classroom);
        if (student.isPresent()) {
            ArrayNode mine = node.putArray("sessions");
            rows.stream().filter(r -> r.student().id().equals(student.get().id()))
                    .forEach(r -> r.sessions().forEach(l -> mine.add(listing(l))));
        }
        if (settings.leaderboard() || teacher) {
            node.set("leaders", json.valueToTree(Leaderboard.of(rows)));
        }
        return node;
    }

    private ObjectNode listing(SessionListing l) {
        ObjectNode node = json.createObjectNode().put("id", l.id()).put("url", "/s/" + l.id()).put("name", l.name())
                .put("status", l.status()).put("dataset", l.dataset()).put("createdAt", l.createdAt())
                .put("epochs", l.epochCount());
        if (l.finalLoss() == null) {
            node.putNull("loss");
        } else {
            node.put("loss", l.finalLoss());
        }
        ObjectNode metrics = node.putObject("metrics");
        l.lastMetrics().forEach((k, v) -> {
            if (Double.isFinite(v) && !k.equals("w") && !k.equals("b")) {
                metrics.put(k, v);
            }
        });
        ArrayNode curve = node.putArray("curve");
        for (double v : l.curve()) {
            curve.add(v);
        }
        return node;
    }
}
