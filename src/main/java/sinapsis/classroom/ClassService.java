package sinapsis.classroom;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sinapsis.json.SpecJson;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.SessionSpec;
import sinapsis.session.Ids;
import sinapsis.session.OwnerTokens;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.store.ClassStore;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.store.SessionListing;

/**
 * Classes: create one (a join code and a teacher token), join it (a display name → a student
 * token), find a class by its teacher's or a student by their token, the sessions students make,
 * the teacher's board, stopping a whole class. Tokens are 256 random bits, stored hashed.
 */
public final class ClassService {
    public static final int MAX_NAME_LENGTH = 40;
    public static final int MAX_CLASS_NAME_LENGTH = 100;
    public static final int SESSIONS_ON_BOARD = 5;

    private final ClassStore store;
    private final SessionService sessions;
    private final JoinThrottle throttle;
    private final SpecJson specs;

    public record Created(StoredClass classroom, String teacherToken) {
    }

    public record Joined(StoredClass classroom, StoredStudent student, String studentToken) {
    }

    /** One row of the teacher's board: a student and their sessions, newest first. */
    public record BoardRow(StoredStudent student, List<SessionListing> sessions) {
    }

    /** @param specs reads and writes the starting configuration in the API's form */
    public ClassService(ClassStore store, SessionService sessions, JoinThrottle throttle, SpecJson specs) {
        this.store = store;
        this.sessions = sessions;
        this.throttle = throttle;
        this.specs = specs;
    }

    /** @param settings the starting configuration, the locked fields, the leaderboard (see {@link ClassSettings}) */
    public Created create(String name, com.fasterxml.jackson.databind.JsonNode settings) {
        String checked = ClassSettings.check(settings, specs).text();
        String trimmed = name(name, MAX_CLASS_NAME_LENGTH);
        String token = OwnerTokens.next();
        while (true) {
            StoredClass row = new StoredClass(JoinCodes.next(), trimmed, OwnerTokens.hash(token), checked,
                    System.currentTimeMillis());
            if (store.insertClass(row)) {
                return new Created(row, token);
            }
        }
    }

    /** A class's or a student's name, trimmed; required and at most {@code max} characters. */
    private static String name(String name, int max) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidSpecException("name", "error.required");
        }
        if (trimmed.length() > max) {
            throw new InvalidSpecException("name", "error.nameTooLong", trimmed.length(), max);
        }
        return trimmed;
    }

    public Optional<StoredClass> find(String code) {
        String canonical = JoinCodes.normalise(code);
        return canonical == null ? Optional.empty() : store.findClass(canonical);
    }

    public boolean isTeacher(StoredClass classroom, String token) {
        return OwnerTokens.matches(token, classroom.teacherHash());
    }

    /** The class whose teacher token this is. */
    public Optional<StoredClass> classOfTeacher(String token) {
        return token == null || token.isEmpty() ? Optional.empty() : store.findClassByTeacher(OwnerTokens.hash(token));
    }

    /**
     * How long {@code client} must wait before its join is answered (ms, after wrong codes); a
     * {@link TooManyAttempts} when it is refused. The web layer waits without holding a thread,
     * then calls {@link #joinNow}.
     */
    public long joinWait(String client) {
        return throttle.before(client, System.currentTimeMillis());
    }

    /**
     * Joins a class with a display name, at once: a wrong code counts against {@code client} (see
     * {@link JoinThrottle}) and is a 400 on {@code code}.
     */
    public Joined joinNow(String code, String name, String client) {
        Optional<StoredClass> classroom = find(code);
        if (classroom.isEmpty()) {
            throttle.failed(client, System.currentTimeMillis());
            throw new InvalidSpecException("code", "error.unknownClass", code == null ? "" : code);
        }
        String trimmed = name(name, MAX_NAME_LENGTH);
        String token = OwnerTokens.next();
        StoredStudent student = new StoredStudent(Ids.next(), classroom.get().code(), trimmed,
                OwnerTokens.hash(token), System.currentTimeMillis());
        store.insertStudent(student);
        return new Joined(classroom.get(), student, token);
    }

    /**
     * The class with this code if {@code mayView} lets the request see it. An unknown code and a
     * class the request may not see look the same to it (empty), and both count as a wrong code
     * for {@code client} in the join throttle, which refuses a client that made too many.
     */
    public Optional<StoredClass> visible(String code, String client, java.util.function.Predicate<StoredClass> mayView) {
        throttle.before(client, System.currentTimeMillis());
        Optional<StoredClass> classroom = find(code).filter(mayView);
        if (classroom.isEmpty()) {
            throttle.failed(client, System.currentTimeMillis());
        }
        return classroom;
    }

    public Optional<StoredStudent> student(String token) {
        return token == null || token.isEmpty() ? Optional.empty() : store.findStudentByToken(OwnerTokens.hash(token));
    }

    /** The class's students, in the order they joined. */
    public List<StoredStudent> students(StoredClass classroom) {
        return store.students(classroom.code());
    }

    /** Refuses a new session when the student has made as many as allowed. */
    public void checkCanCreate(StoredStudent student) {
        int limit = sessions.limits().maxSessionsPerStudent();
        if (store.sessionCount(student.id()) >= limit) {
            throw new InvalidSpecException("", "error.sessionsPerStudent", limit);
        }
    }

    public void assign(Session session, StoredStudent student) {
        store.assignSession(session.id(), student.id());
    }

    public ClassSettings settings(StoredClass classroom) {
        return ClassSettings.stored(classroom.settings());
    }

    /** The teacher's changes to the settings (only the fields it gives), checked; returns the class as it is now. */
    public StoredClass updateSettings(StoredClass classroom, com.fasterxml.jackson.databind.JsonNode changes) {
        store.updateSettings(classroom.code(), settings(classroom).with(changes, specs).text());
        return find(classroom.code()).orElseThrow();
    }

    /** A student's spec, refused with a 400 naming a locked field of their class that it changes. */
    public void checkLocks(StoredStudent student, SessionSpec requested) {
        find(student.classCode()).ifPresent(classroom -> settings(classroom).checkLocks(requested, specs));
    }

    /**
     * Every student, in the order they joined, with their latest {@value #SESSIONS_ON_BOARD}
     * sessions (status, last values, a small curve). Bounded, because a live board reads it again
     * every second.
     */
    public List<BoardRow> board(StoredClass classroom) {
        List<StoredStudent> students = store.students(classroom.code());
        Map<String, Integer> shown = new java.util.HashMap<>();
        List<String[]> owned = store.sessionsOfClass(classroom.code()).stream() // newest first
                .filter(row -> shown.merge(row[1], 1, Integer::sum) <= SESSIONS_ON_BOARD).toList();
        Map<String, SessionListing> listings = new LinkedHashMap<>();
        List<String> stored = new ArrayList<>();
        for (String[] row : owned) {
            Optional<Session> inMemory = sessions.inMemory(row[0]);
            if (inMemory.isPresent()) {
                listings.put(row[0], live(inMemory.get()));
            } else {
                stored.add(row[0]);
            }
        }
        for (SessionListing listing : sessions.listings(stored)) {
            listings.put(listing.id(), listing);
        }
        List<BoardRow> rows = new ArrayList<>();
        for (StoredStudent student : students) {
            List<SessionListing> theirs = new ArrayList<>();
            for (String[] row : owned) {
                if (row[1].equals(student.id()) && listings.containsKey(row[0])) {
                    theirs.add(listings.get(row[0]));
                }
            }
            rows.add(new BoardRow(student, theirs));
        }
        return rows;
    }

    /**
     * A session in memory as a board line, at this moment (the store is written every half
     * second and its curves cost a query each; a live board wants the state now, every second).
     */
    private static SessionListing live(Session session) {
        sinapsis.training.TrainingRun run = session.run();
        String status = run.status().id(); // read before the history: a run that is over has all its epochs
        List<sinapsis.training.EpochEvent> last = run.eventsSince(Math.max(0, run.lastSeq() - 1));
        Map<String, Double> metrics = new LinkedHashMap<>();
        Double loss = null;
        long epochs = 0;
        if (!last.isEmpty()) {
            sinapsis.training.EpochEvent event = last.get(last.size() - 1);
            metrics.putAll(event.metrics());
            if (event.valLoss() != null) {
                metrics.put("val_loss", event.valLoss());
            }
            loss = event.loss();
            epochs = event.seq();
        }
        double[] curve = run.thinned(40).stream().mapToDouble(sinapsis.training.EpochEvent::loss).toArray();
        return new SessionListing(session.id(), session.name(), status, session.spec().data().dataset(),
                session.createdAt(), epochs, loss, java.util.Collections.unmodifiableMap(metrics), curve);
    }

    /** Stops every queued or running session of the class; returns how many it stopped. */
    private static boolean isGoing(String storedStatus) {
        sinapsis.training.RunStatus status = sinapsis.training.RunStatus.fromId(storedStatus);
        return !status.isOver() && status != sinapsis.training.RunStatus.DRAFT;
    }

    public int stopAll(StoredClass classroom) {
        int stopped = 0;
        for (String[] row : store.sessionsOfClass(classroom.code())) {
            // a run going on this node is in memory; one another node trains is read from the store
            Optional<Session> session = sessions.inMemory(row[0]).or(() -> isGoing(row[2]) ? sessions.find(row[0])
                    : Optional.empty());
            if (session.isPresent() && !session.get().run().status().isOver()
                    && session.get().run().status() != sinapsis.training.RunStatus.DRAFT) {
                sessions.stop(session.get());
                stopped++;
            }
        }
        return stopped;
    }

    /** The student who made a session, if one did. */
    public Optional<StoredStudent> studentOfSession(String sessionId) {
        return store.studentOf(sessionId).flatMap(store::findStudentById);
    }

    /** Whether a session was made by a student of this class. */
    public boolean belongsTo(String sessionId, StoredClass classroom) {
        return studentOfSession(sessionId).map(student -> student.classCode().equals(classroom.code())).orElse(false);
    }
}
