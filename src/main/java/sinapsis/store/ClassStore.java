package sinapsis.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Classes, their students and which sessions each student made. Tokens are stored only as hashes. */
public final class ClassStore {
    private final Jdbi reads;
    private final Jdbi writes;

    /** A class as stored; {@code settings} is JSON. */
    public record StoredClass(String code, String name, String teacherHash, String settings, long createdAt) {
    }

    /** A student of a class. */
    public record StoredStudent(String id, String classCode, String name, String tokenHash, long createdAt) {
    }

    public ClassStore(Database database) {
        this.reads = database.reader();
        this.writes = database.writer();
    }

    /** Inserts the class; false when the code is taken (the caller draws another). */
    public boolean insertClass(StoredClass row) {
        return writes.withHandle(h -> h.createUpdate("""
                        INSERT INTO classes (code, name, teacher_hash, settings, created_at)
                        SELECT :code, :name, :teacher, :settings, :createdAt
                        WHERE NOT EXISTS (SELECT 1 FROM classes WHERE code = :code)""")
                .bind("code", row.code()).bind("name", row.name()).bind("teacher", row.teacherHash())
                .bind("settings", row.settings()).bind("createdAt", row.createdAt()).execute()) == 1;
    }

    public Optional<StoredClass> findClass(String code) {
        return reads.withHandle(h -> h.createQuery("SELECT * FROM classes WHERE code = :code").bind("code", code)
                .map((rs, ctx) -> new StoredClass(rs.getString("code"), rs.getString("name"),
                        rs.getString("teacher_hash"), rs.getString("settings"), rs.getLong("created_at")))
                .findOne());
    }

    public Optional<StoredClass> findClassByTeacher(String teacherHash) {
        return reads.withHandle(h -> h.createQuery("SELECT code FROM classes WHERE teacher_hash = :hash")
                .bind("hash", teacherHash).mapTo(String.class).findOne()).flatMap(this::findClass);
    }

    public void updateSettings(String code, String settings) {
        writes.useHandle(h -> h.createUpdate("UPDATE classes SET settings = :settings WHERE code = :code")
                .bind("code", code).bind("settings", settings).execute());
    }

    public void insertStudent(StoredStudent row) {
        writes.useHandle(h -> h.createUpdate("""
                        INSERT INTO students (id, class_code, name, token_hash, created_at)
                        VALUES (:id, :code, :name, :token, :createdAt)""")
                .bind("id", row.id()).bind("code", row.classCode()).bind("name", row.name())
                .bind("token", row.tokenHash()).bind("createdAt", row.createdAt()).execute());
    }

    public Optional<StoredStudent> findStudentByToken(String tokenHash) {
        return reads.withHandle(h -> h.createQuery("SELECT * FROM students WHERE token_hash = :hash")
                .bind("hash", tokenHash).map((rs, ctx) -> student(rs)).findOne());
    }

    public Optional<StoredStudent> findStudentById(String id) {
        return reads.withHandle(h -> h.createQuery("SELECT * FROM students WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> student(rs)).findOne());
    }

    public List<StoredStudent> students(String code) {
        return reads.withHandle(h -> h.createQuery("SELECT * FROM students WHERE class_code = :code ORDER BY created_at")
                .bind("code", code).map((rs, ctx) -> student(rs)).list());
    }

    /** Marks a session as made by a student. */
    public void assignSession(String sessionId, String studentId) {
        writes.useHandle(h -> h.createUpdate("UPDATE sessions SET student_id = :student WHERE id = :id")
                .bind("id", sessionId).bind("student", studentId).execute());
    }

    /** The student who made a session, if a student did. */
    public Optional<String> studentOf(String sessionId) {
        return reads.withHandle(h -> h.createQuery("SELECT student_id FROM sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(String.class).findOne()).filter(s -> s != null);
    }

    /** A class's sessions as {id, student id, stored status}, newest first. */
    public List<String[]> sessionsOfClass(String code) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT s.id, s.student_id, s.status FROM sessions s JOIN students st ON st.id = s.student_id
                        WHERE st.class_code = :code ORDER BY s.created_at DESC""")
                .bind("code", code).map((rs, ctx) -> new String[] {rs.getString("id"), rs.getString("student_id"),
                        rs.getString("status")})
                .list());
    }

    /** How many sessions a student has made. */
    public int sessionCount(String studentId) {
        return reads.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sessions WHERE student_id = :id")
                .bind("id", studentId).mapTo(Integer.class).one());
    }

    private static StoredStudent student(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredStudent(rs.getString("id"), rs.getString("class_code"), rs.getString("name"),
                rs.getString("token_hash"), rs.getLong("created_at"));
    }
}
