package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.ClassSettings;
import sinapsis.classroom.Leaderboard;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.store.SessionListing;

/** A class as its teacher's board and as one of its students see it. */
final class ClassJson {
    /** The teacher's board: settings, every student with their latest sessions, the leaderboard. */
    record Board(String code, String name, long createdAt, JsonNode settings, List<StudentRow> students,
                 List<Leaderboard.Leader> leaders) {
    }

    record StudentRow(String id, String name, long joinedAt, List<Listing> sessions) {
    }

    /** A session on the board: status, last values (the board's cells), a small curve. */
    record Listing(String id, String url, String name, String status, String dataset, long createdAt, long epochs,
                   Double loss, Map<String, Double> metrics, double[] curve) {
        static Listing of(SessionListing l) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            l.lastMetrics().forEach((k, v) -> {
                if (Double.isFinite(v) && !k.equals("w") && !k.equals("b")) {
                    metrics.put(k, v);
                }
            });
            return new Listing(l.id(), "/s/" + l.id(), l.name(), l.status(), l.dataset(), l.createdAt(),
                    l.epochCount(), l.finalLoss(), metrics, l.curve());
        }
    }

    /**
     * What a student of the class (or its teacher) sees: the class's name, starting configuration,
     * locked fields, the student's own sessions, and the leaderboard when it is on (always for the teacher).
     */
    record StudentView(String code, String name, JsonNode spec, JsonNode locked, boolean leaderboard,
                       @JsonInclude(Include.NON_NULL) Student student,
                       @JsonInclude(Include.NON_NULL) List<Listing> sessions,
                       @JsonInclude(Include.NON_NULL) List<Leaderboard.Leader> leaders) {
    }

    record Student(String id, String name) {
    }

    private final ObjectMapper json;
    private final ClassService classes;

    ClassJson(ObjectMapper json, ClassService classes) {
        this.json = json;
        this.classes = classes;
    }

    Board board(StoredClass classroom) {
        List<ClassService.BoardRow> rows = classes.board(classroom);
        List<StudentRow> students = rows.stream().map(row -> new StudentRow(row.student().id(), row.student().name(),
                row.student().createdAt(), row.sessions().stream().map(Listing::of).toList())).toList();
        return new Board(classroom.code(), classroom.name(), classroom.createdAt(),
                classes.settings(classroom).toJson(), students, Leaderboard.of(rows));
    }

    /** The board as its live feed sends it. */
    String boardText(StoredClass classroom) {
        try {
            return json.writeValueAsString(board(classroom));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a board is always JSON", e);
        }
    }

    StudentView forStudent(StoredClass classroom, Optional<StoredStudent> student, boolean teacher) {
        ClassSettings settings = classes.settings(classroom);
        List<ClassService.BoardRow> rows = classes.board(classroom);
        List<Listing> mine = student.map(s -> rows.stream().filter(r -> r.student().id().equals(s.id()))
                .flatMap(r -> r.sessions().stream()).map(Listing::of).toList()).orElse(null);
        return new StudentView(classroom.code(), classroom.name(), settings.spec(), settings.locked(),
                settings.leaderboard(), student.map(s -> new Student(s.id(), s.name())).orElse(null), mine,
                settings.leaderboard() || teacher ? Leaderboard.of(rows) : null);
    }
}
