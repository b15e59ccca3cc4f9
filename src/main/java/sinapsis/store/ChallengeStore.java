package sinapsis.store;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * A class's challenges and every attempt at them. The held-out rows are read only where a
 * challenge is scored ({@link #heldOut}); every other read leaves them out.
 */
public final class ChallengeStore {
    private final Jdbi reads;
    private final Jdbi writes;
    /** PostgreSQL: row locks ({@code FOR UPDATE}); SQLite has one writer, whose transactions run one at a time. */
    private final boolean locksRows;

    /** A challenge as stored; {@code definition} is JSON (see {@code sinapsis.challenge.ChallengeDefinition}). */
    public record StoredChallenge(String id, String classCode, String state, String definition, int trainRows,
                                  int heldOutRows, long createdAt, long updatedAt) {
    }

    /**
     * One run of a student's session on a challenge. {@code state}: going, scored or void (it ended
     * without a model and does not count); {@code score}, {@code metrics} (JSON), {@code epochs} and
     * {@code curve} (JSON) once it is scored.
     */
    public record StoredAttempt(String id, String challengeId, String studentId, String sessionId, String state,
                                long startedAt, Long endedAt, Double score, String metrics, Integer epochs,
                                String curve) {
        public boolean counts() {
            return !"void".equals(state);
        }
    }

    public ChallengeStore(Database database) {
        this.reads = database.reader();
        this.writes = database.writer();
        this.locksRows = !database.isSqlite();
    }

    public void insert(StoredChallenge row, String heldOutCsv) {
        writes.useHandle(h -> h.createUpdate("""
                        INSERT INTO challenges (id, class_code, state, definition, held_out_csv, train_rows,
                                                held_out_rows, created_at, updated_at)
                        VALUES (:id, :code, :state, :definition, :heldOut, :trainRows, :heldOutRows, :createdAt,
                                :updatedAt)""")
                .bind("id", row.id()).bind("code", row.classCode()).bind("state", row.state())
                .bind("definition", row.definition()).bind("heldOut", heldOutCsv).bind("trainRows", row.trainRows())
                .bind("heldOutRows", row.heldOutRows()).bind("createdAt", row.createdAt())
                .bind("updatedAt", row.updatedAt()).execute());
    }

    /** Replaces a challenge's state and definition, and its held-out rows when {@code heldOutCsv} is not null. */
    public void update(StoredChallenge row, String heldOutCsv) {
        writes.useHandle(h -> h.createUpdate("""
                        UPDATE challenges SET state = :state, definition = :definition, train_rows = :trainRows,
                               held_out_rows = :heldOutRows, updated_at = :updatedAt,
                               held_out_csv = COALESCE(:heldOut, held_out_csv)
                        WHERE id = :id""")
                .bind("id", row.id()).bind("state", row.state()).bind("definition", row.definition())
                .bind("trainRows", row.trainRows()).bind("heldOutRows", row.heldOutRows())
                .bind("updatedAt", row.updatedAt()).bind("heldOut", heldOutCsv).execute());
    }

    public Optional<StoredChallenge> find(String id) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT id, class_code, state, definition, train_rows, held_out_rows, created_at, updated_at
                        FROM challenges WHERE id = :id""")
                .bind("id", id).map((rs, ctx) -> challenge(rs)).findOne());
    }

    /** A class's challenges, newest first. */
    public List<StoredChallenge> ofClass(String code) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT id, class_code, state, definition, train_rows, held_out_rows, created_at, updated_at
                        FROM challenges WHERE class_code = :code ORDER BY created_at DESC, id""")
                .bind("code", code).map((rs, ctx) -> challenge(rs)).list());
    }

    /** The rows a challenge scores on: never for a student's eyes. */
    public String heldOut(String challengeId) {
        return reads.withHandle(h -> h.createQuery("SELECT held_out_csv FROM challenges WHERE id = :id")
                .bind("id", challengeId).mapTo(String.class).one());
    }

    /** Marks a session as made for a challenge. */
    public void assignSession(String sessionId, String challengeId) {
        writes.useHandle(h -> h.createUpdate("UPDATE sessions SET challenge_id = :challenge WHERE id = :id")
                .bind("id", sessionId).bind("challenge", challengeId).execute());
    }

    /** The challenge a session was made for, if any. */
    public Optional<String> challengeOf(String sessionId) {
        return reads.withHandle(h -> h.createQuery("SELECT challenge_id FROM sessions WHERE id = :id")
                .bind("id", sessionId).mapTo(String.class).findOne()).filter(id -> id != null);
    }

    private static void insertAttempt(org.jdbi.v3.core.Handle h, StoredAttempt row) {
        h.createUpdate("""
                        INSERT INTO challenge_attempts (id, challenge_id, student_id, session_id, state, started_at)
                        VALUES (:id, :challenge, :student, :session, :state, :startedAt)""")
                .bind("id", row.id()).bind("challenge", row.challengeId()).bind("student", row.studentId())
                .bind("session", row.sessionId()).bind("state", row.state()).bind("startedAt", row.startedAt())
                .execute();
    }

    /**
     * Records an attempt and marks its session as the challenge's, unless its student already has
     * {@code limit} attempts at the challenge that count (no limit when null): false then, and
     * nothing is written. One transaction, which on PostgreSQL first locks the student's row, so two
     * nodes letting the same student's attempts through at once cannot both take the last one.
     */
    public boolean insertAttemptWithin(StoredAttempt row, Integer limit) {
        return writes.inTransaction(h -> {
            if (locksRows) {
                h.createQuery("SELECT id FROM students WHERE id = :student FOR UPDATE").bind("student", row.studentId())
                        .mapTo(String.class).findOne();
            }
            if (limit != null && h.createQuery("""
                            SELECT COUNT(*) FROM challenge_attempts
                            WHERE challenge_id = :challenge AND student_id = :student AND state <> 'void'""")
                    .bind("challenge", row.challengeId()).bind("student", row.studentId())
                    .mapTo(Integer.class).one() >= limit) {
                return false;
            }
            h.createUpdate("UPDATE sessions SET challenge_id = :challenge WHERE id = :id")
                    .bind("id", row.sessionId()).bind("challenge", row.challengeId()).execute();
            insertAttempt(h, row);
            return true;
        });
    }

    /** Ends a going attempt (scored or void); false when it was no longer going (another node ended it). */
    public boolean endAttempt(String id, String state, long endedAt, Double score, String metrics, Integer epochs,
                              String curve) {
        return writes.withHandle(h -> h.createUpdate("""
                        UPDATE challenge_attempts SET state = :state, ended_at = :endedAt, score = :score,
                               metrics = :metrics, epochs = :epochs, curve = :curve
                        WHERE id = :id AND state = 'going'""")
                .bind("id", id).bind("state", state).bind("endedAt", endedAt).bind("score", score)
                .bind("metrics", metrics).bind("epochs", epochs).bind("curve", curve).execute()) == 1;
    }

    /** A challenge's attempts, oldest first. */
    public List<StoredAttempt> attempts(String challengeId) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT * FROM challenge_attempts WHERE challenge_id = :id ORDER BY started_at, id""")
                .bind("id", challengeId).map((rs, ctx) -> attempt(rs)).list());
    }

    /** A session's attempts, oldest first. */
    public List<StoredAttempt> attemptsOfSession(String sessionId) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT * FROM challenge_attempts WHERE session_id = :id ORDER BY started_at, id""")
                .bind("id", sessionId).map((rs, ctx) -> attempt(rs)).list());
    }

    private static StoredChallenge challenge(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new StoredChallenge(rs.getString("id"), rs.getString("class_code"), rs.getString("state"),
                rs.getString("definition"), rs.getInt("train_rows"), rs.getInt("held_out_rows"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    private static StoredAttempt attempt(java.sql.ResultSet rs) throws java.sql.SQLException {
        double score = rs.getDouble("score");
        Double scored = rs.wasNull() ? null : score;
        long ended = rs.getLong("ended_at");
        Long endedAt = rs.wasNull() ? null : ended;
        int epochs = rs.getInt("epochs");
        Integer epochCount = rs.wasNull() ? null : epochs;
        return new StoredAttempt(rs.getString("id"), rs.getString("challenge_id"), rs.getString("student_id"),
                rs.getString("session_id"), rs.getString("state"), rs.getLong("started_at"), endedAt, scored,
                rs.getString("metrics"), epochCount, rs.getString("curve"));
    }
}
