package sinapsis.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.training.Checkpoint;
import sinapsis.training.EpochEvent;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingResult;
import sinapsis.training.TrainingRun.Ending;

/**
 * Sessions, their epoch history and their data, in SQL that SQLite and PostgreSQL both run. Specs
 * and results are stored as JSON text; data is stored once per content hash.
 */
public final class SessionStore {
    private static final int CURVE_POINTS = 40;
    /** The backend a GPU node reports (see {@code BackendInfo}). */
    private static final String CUDA = "CUDA";
    /**
     * How long an image network waits for a CUDA worker, when one is up, before a CPU node takes it:
     * a few of the GPU node's rounds, so a busy GPU does not hold it up for long.
     */
    public static final java.time.Duration GPU_FIRST = java.time.Duration.ofSeconds(3);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    /**
     * What {@code node_id} says of a run that waits in the store for any worker to claim it (one
     * created or started again on a node that does not train).
     */
    public static final String WAITING_FOR_A_WORKER = "queue";

    private final Database database;
    /** Whether this node trains the runs it queues (else they wait for a worker, see {@link #claimNext}). */
    private final boolean trainsHere;
    private final Jdbi reads;
    private final Jdbi writes;
    private final ObjectMapper json = sinapsis.json.Json.mapper();

    public SessionStore(Database database) {
        this(database, true);
    }

    public SessionStore(Database database, boolean trainsHere) {
        this.database = database;
        this.trainsHere = trainsHere;
        this.reads = database.reader();
        this.writes = database.writer();
    }

    /** Stores the data (once per hash) and the new session, in one transaction. */
    public void insert(StoredSession session, String csv) {
        insert(session, csv, null, 0);
    }

    /**
     * Stores the data (once per hash) and the new session, counted against {@code space} with
     * {@code dataBytes} of data (see {@link #spaceUsed}), at once: one commit per new session. On
     * PostgreSQL that is one statement, so one round trip, with the notice to the workers when it
     * waits for one; on SQLite one transaction.
     */
    public void insert(StoredSession session, String csv, String space, long dataBytes) {
        if (!database.isShared()) {
            writes.useTransaction(h -> {
                saveData(h, session.dataHash(), csv);
                bindNewSession(h.createUpdate(INSERT_SESSION), session, space, dataBytes).execute();
                SpaceUsage.add(h, space, dataBytes);
            });
            return;
        }
        insertInOneStatement(session, csv, space, dataBytes, null);
    }

    /** A data set, {@code :hash} and {@code :csv}, unless one with this hash is there already (two sessions may race to store it). */
    private static final String SAVE_DATA =
            "INSERT INTO datasets (hash, csv, created_at) VALUES (:hash, :csv, :now) ON CONFLICT (hash) DO NOTHING";

    /** As {@link #SAVE_DATA}, only when the query named {@code rows} (a {@code WITH}'s part) has a row. */
    private static String saveDataIfAny(String rows) {
        return "INSERT INTO datasets (hash, csv, created_at) SELECT :hash, :csv, :now WHERE EXISTS (SELECT 1 FROM "
                + rows + ") ON CONFLICT (hash) DO NOTHING";
    }

    private static final String SESSION_COLUMNS = """
            id, owner_hash, name, status, dataset, data_hash, inputs, targets,
            training_rows, features, network, training, forked_from, created_at,
            opened_at, space, data_bytes, node_id, queued_at, image_network""";

    private static final String SESSION_VALUES = """
            :id, :owner, :name, :status, :dataset, :hash, :inputs, :targets,
            :trainingRows, :features, :network, :training, :forkedFrom, :createdAt, :createdAt,
            :space, :dataBytes, :node, :createdAt, :imageNetwork""";

    private static final String INSERT_SESSION = "INSERT INTO sessions (" + SESSION_COLUMNS + ") VALUES ("
            + SESSION_VALUES + ")";

    /** Binds what {@link #INSERT_SESSION} names. */
    private <S extends SqlStatement<S>> S bindNewSession(S statement, StoredSession session, String space,
                                                         long dataBytes) {
        return bindWhatRuns(statement, session)
                .bind("id", session.id())
                .bind("owner", session.ownerHash())
                .bind("name", session.name())
                .bind("forkedFrom", session.forkedFrom())
                .bind("createdAt", session.createdAt())
                .bind("space", space)
                .bind("dataBytes", dataBytes);
    }

    /** A run stored waiting for a worker: the nodes that train hear of it now. */
    private void notifyIfWaiting(Handle h, StoredSession session) {
        if (notifiesWorkers(session)) {
            database.notifyNodes(h, NodeNotifications.Kind.WORK);
        }
    }

    /** Whether storing this session tells the nodes that train of it: it waits for one of them. */
    private boolean notifiesWorkers(StoredSession session) {
        return database.isShared() && !trainsHere && session.ending().status() == RunStatus.QUEUED;
    }

    private static void saveData(Handle h, String hash, String csv) {
        h.createUpdate(SAVE_DATA).bind("hash", hash).bind("csv", csv).bind("now", System.currentTimeMillis()).execute();
    }

    public Optional<String> data(String hash) {
        return reads.withHandle(h -> h.createQuery("SELECT csv FROM datasets WHERE hash = :hash")
                .bind("hash", hash).mapTo(String.class).findOne());
    }

    public Optional<StoredSession> find(String id) {
        return reads.withHandle(h -> h.createQuery("SELECT * FROM sessions WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> session(rs)).findOne());
    }

    public List<EpochEvent> history(String id) {
        return historySince(id, 0);
    }

    /**
     * What one running session has to write: new epochs and, when given, its new state and result,
     * and its latest checkpoint (whose epoch is among the epochs stored once this write is).
     */
    public record RunWrite(String id, List<EpochEvent> events, Ending ending, TrainingResult result,
                           Checkpoint checkpoint) {
        public RunWrite(String id, List<EpochEvent> events, Ending ending, TrainingResult result) {
            this(id, events, ending, result, null);
        }
    }

    /** One session's write, in one transaction. */
    public void record(String id, List<EpochEvent> events, Ending ending, TrainingResult result) {
        recordAll(List.of(new RunWrite(id, events, ending, result)));
    }

    /**
     * Every running session's new epochs and changed states, in one transaction: one commit (and
     * one sync to disk) for a whole class training at once. Called by the recorder about twice a
     * second, and as soon as a run ends. Returns the runs this write ended whose sessions are a
     * challenge's (their attempts are scored now), so that no other run's end reads the attempts.
     */
    public Set<String> recordAll(List<RunWrite> runs) {
        if (runs.isEmpty()) {
            return Set.of();
        }
        boolean ended = runs.stream().anyMatch(SessionStore::isOver);
        // nodes that show these runs read them now (one that ended: at once)
        NodeNotifications.Kind notice = ended ? NodeNotifications.Kind.ENDED : NodeNotifications.Kind.HISTORY;
        Set<String> endedOnChallenges = new java.util.HashSet<>();
        if (database.isShared() && runs.size() == 1) { // a worker's usual write: one statement, its own transaction
            if (writes.withHandle(h -> recordInOneStatement(h, runs.get(0), notice))) {
                endedOnChallenges.add(runs.get(0).id());
            }
        } else {
            writes.useTransaction(h -> {
                for (RunWrite run : runs) {
                    if (database.isShared() ? recordInOneStatement(h, run, notice) : record(h, run)) {
                        endedOnChallenges.add(run.id());
                    }
                }
            });
        }
        return Set.copyOf(endedOnChallenges);
    }

    /** One run's write, on the embedded store; whether it ended a challenge's session's run. */
    private boolean record(Handle h, RunWrite write) {
        String id = write.id();
        Optional<Boolean> onChallenge = bindRowUpdate(h.createQuery(rowUpdate(write)
                + " RETURNING challenge_id IS NOT NULL AS on_challenge"), write)
                .map((rs, ctx) -> rs.getBoolean("on_challenge")).findFirst();
        if (onChallenge.isEmpty()) {
            return false; // deleted
        }
        EpochHistory.append(h, id, write.events());
        if (isOver(write)) {
            deleteCheckpoint(h, id);
            return onChallenge.get();
        } else if (write.checkpoint() != null) {
            bindCheckpoint(h.createUpdate("INSERT INTO checkpoints (session_id, epoch, state, written_at)"
                    + " VALUES (:id, :epoch, :state, :now)" + CHECKPOINT_REPLACES), write.checkpoint())
                    .bind("id", id).execute();
        }
        return false;
    }

    /**
     * A run's write on PostgreSQL as one statement, so one round trip where one statement after
     * the other took five: its row's update, which matches the row only while this node holds the
     * run (it is gone, or another node took the run over, taking this one for gone: its writes stop
     * here) and locks it until the transaction ends, so that no other node takes the run over
     * halfway through; only when it matched, the epochs' rows and the checkpoint's (its removal once
     * the run is over); and the notice to the other nodes, sent at the commit (PostgreSQL sends
     * notices of one transaction with the same text once). Returns whether it ended the run of a
     * challenge's session, as its row says.
     */
    private boolean recordInOneStatement(Handle h, RunWrite write, NodeNotifications.Kind notice) {
        StringBuilder sql = new StringBuilder("WITH held AS (").append(rowUpdate(write))
                .append(" RETURNING id, challenge_id)");
        List<EpochHistory.Row> rows = EpochHistory.rows(write.events());
        for (int i = 0; i < rows.size(); i++) {
            sql.append(", epochs").append(i).append(" AS (").append(EpochHistory.insertFrom("held", i)).append(')');
        }
        if (isOver(write)) {
            sql.append(", checkpoint AS (DELETE FROM checkpoints WHERE session_id IN (SELECT id FROM held))");
        } else if (write.checkpoint() != null) {
            sql.append(", checkpoint AS (INSERT INTO checkpoints (session_id, epoch, state, written_at)"
                    + " SELECT id, :epoch, :state, :now FROM held WHERE true") // WHERE: else ON reads as a join's
                    .append(CHECKPOINT_REPLACES).append(')');
        }
        var statement = bindRowUpdate(h.createQuery(sql.append(" SELECT pg_notify(:channel, :notice),"
                + " EXISTS (SELECT 1 FROM held WHERE challenge_id IS NOT NULL) AS on_challenge").toString()), write);
        for (int i = 0; i < rows.size(); i++) {
            EpochHistory.bindRow(statement, rows.get(i), i);
        }
        if (!isOver(write) && write.checkpoint() != null) {
            bindCheckpoint(statement, write.checkpoint());
        }
        boolean onChallenge = database.bindNotice(statement, notice).map((rs, ctx) -> rs.getBoolean("on_challenge"))
                .one();
        return onChallenge && isOver(write);
    }

    private static final String CHECKPOINT_REPLACES = " ON CONFLICT (session_id) DO UPDATE SET epoch = excluded.epoch,"
            + " state = excluded.state, written_at = excluded.written_at";

    private static <S extends SqlStatement<S>> S bindCheckpoint(S statement, Checkpoint checkpoint) {
        return statement.bind("epoch", checkpoint.epoch()).bind("state", checkpoint.state())
                .bind("now", System.currentTimeMillis());
    }

    private static boolean isOver(RunWrite write) {
        return write.ending() != null && write.ending().status().isOver();
    }

    /**
     * The {@code UPDATE} that brings the session's row up to a write — its epoch count and last
     * loss, its state and result — matching the row, on a shared database, only while this node
     * holds the run (a checkpoint alone: the row checked and locked all the same).
     */
    private String rowUpdate(RunWrite write) {
        List<String> changes = new java.util.ArrayList<>();
        if (!write.events().isEmpty()) {
            changes.add("epoch_count = :count, final_loss = :loss");
        }
        if (write.ending() != null) {
            changes.add("status = :status, started_at = :startedAt, finished_at = :finishedAt, failure = :failure, "
                    + "result = :result");
        }
        if (changes.isEmpty()) {
            changes.add("node_id = node_id");
        }
        return "UPDATE sessions SET " + String.join(", ", changes) + " WHERE id = :id"
                + (database.isShared() ? " AND node_id = :self" : "");
    }

    /** Binds what {@link #rowUpdate} names. */
    private <S extends SqlStatement<S>> S bindRowUpdate(S statement, RunWrite write) {
        List<EpochEvent> events = write.events();
        statement.bind("id", write.id());
        if (!events.isEmpty()) {
            EpochEvent last = events.get(events.size() - 1);
            statement.bind("count", last.seq()).bind("loss", last.loss());
        }
        if (write.ending() != null) {
            TrainingResult result = write.result();
            bindEnding(statement, write.ending()).bind("result", result == null ? null : write(result.withPredictions(null)));
        }
        if (database.isShared()) {
            statement.bind("self", database.node());
        }
        return statement;
    }

    private static void deleteCheckpoint(Handle h, String id) {
        h.createUpdate("DELETE FROM checkpoints WHERE session_id = :id").bind("id", id).execute();
    }

    /**
     * How often a run trained on a shared database leaves a checkpoint: a third of the node lease,
     * so a run whose node dies loses about that much training on top of the lease.
     */
    public java.time.Duration checkpointInterval() {
        return database.lease().dividedBy(3);
    }

    /** Deletes a run's stored epochs and checkpoint (a run that starts over where they do not match). */
    public void clearHistory(String id) {
        writes.useTransaction(h -> {
            EpochHistory.deleteAll(h, id);
            deleteCheckpoint(h, id);
            h.createUpdate("UPDATE sessions SET epoch_count = 0, final_loss = NULL WHERE id = :id").bind("id", id)
                    .execute();
        });
    }

    /** The run's latest stored checkpoint, if it has one. */
    public Optional<Checkpoint> checkpoint(String id) {
        return reads.withHandle(h -> h.createQuery("SELECT epoch, state FROM checkpoints WHERE session_id = :id")
                .bind("id", id).map((rs, ctx) -> new Checkpoint(rs.getInt("epoch"), rs.getBytes("state"))).findOne());
    }

    /**
     * Whether this node still holds the session's run, its row locked until the transaction ends so
     * that no other node takes the run over halfway through this write.
     */
    private boolean stillHolds(Handle h, String id) {
        return h.createQuery("SELECT node_id FROM sessions WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne().filter(database.node()::equals).isPresent();
    }

    /**
     * Runs that a gone node held queued or running go back to the queue, for any node that trains to
     * claim: their history is truncated to their checkpoint's epoch (all of it when they have none,
     * and they start over — seeded, so training the same epochs again), and the claiming node goes on
     * from there. Paused ones stay paused, held by no node (see {@link #queueIfParked}): their owner
     * resumes or steps them from any node. Rows being written this moment are skipped, for the next
     * beat. Returns how many. Only on a shared database.
     */
    public int requeueOrphaned(long now) {
        if (!database.isShared()) {
            return 0;
        }
        return writes.inTransaction(h -> {
            List<String> ids = h.createQuery("""
                            SELECT id FROM sessions WHERE status IN (<queued>, <running>, <paused>)
                              AND node_id IS NOT NULL AND node_id <> :self AND node_id <> <waiting>
                              AND node_id NOT IN (SELECT id FROM nodes WHERE seen_at >= :aliveSince)
                            FOR UPDATE SKIP LOCKED""")
                    .bind("self", database.node())
                    .bind("aliveSince", database.aliveSince(now)).mapTo(String.class).list();
            if (ids.isEmpty()) {
                return 0;
            }
            // each history cut back to its checkpoint's epoch (0: all of it)
            h.createQuery("""
                            SELECT s.id, COALESCE(c.epoch, 0) AS epoch FROM sessions s
                            LEFT JOIN checkpoints c ON c.session_id = s.id WHERE s.id IN (<ids>)""")
                    .bindList("ids", ids).map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getInt("epoch"))).list()
                    .forEach(cut -> EpochHistory.cutAfterEpoch(h, cut.getKey(), cut.getValue()));
            int requeued = h.createUpdate("""
                            UPDATE sessions SET status = CASE WHEN status = <paused> THEN <paused> ELSE <queued> END,
                                   node_id = <waiting>, queued_at = :now,
                                   finished_at = NULL, failure = NULL, result = NULL, control = NULL,
                                   epoch_count = %s,
                                   final_loss = %s,
                                   started_at = CASE WHEN EXISTS (SELECT 1 FROM checkpoints c
                                                                  WHERE c.session_id = sessions.id)
                                                     THEN started_at END
                            WHERE id IN (<ids>)""".formatted(EpochHistory.COUNT_OF_SESSION, EpochHistory.LAST_LOSS_OF_SESSION))
                    .bindList("ids", ids).bind("now", now).execute();
            database.notifyNodes(h, NodeNotifications.Kind.WORK); // a node with a slot free claims them now
            return requeued;
        });
    }

    /** Clears a session's history and result for a new run, with (possibly edited) network, settings and data. */
    public void restart(StoredSession session, String csv) {
        writes.useTransaction(h -> {
            saveData(h, session.dataHash(), csv);
            EpochHistory.deleteAll(h, session.id());
            deleteCheckpoint(h, session.id());
            bindWhatRuns(h.createUpdate("""
                            UPDATE sessions SET status = :status, dataset = :dataset, data_hash = :hash,
                                   inputs = :inputs, targets = :targets, training_rows = :trainingRows,
                                   features = :features, network = :network, training = :training,
                                   image_network = :imageNetwork, started_at = NULL, finished_at = NULL, failure = NULL, result = NULL,
                                   epoch_count = 0, final_loss = NULL, node_id = :node, control = NULL,
                                   queued_at = :queuedAt
                            WHERE id = :id"""), session)
                    .bind("id", session.id())
                    .bind("queuedAt", System.currentTimeMillis())
                    .execute();
            deleteUnusedData(h);
            notifyIfWaiting(h, session);
        });
    }

    public void rename(String id, String name) {
        writes.useHandle(h -> h.createUpdate("UPDATE sessions SET name = :name WHERE id = :id")
                .bind("name", name).bind("id", id).execute());
    }

    /**
     * Deletes the session, its history and its data unless another session trains on the same data.
     * On SQLite the freed pages go back to the file system with the commit (full auto-vacuum).
     */
    public void delete(String id) {
        writes.useTransaction(h -> {
            EpochHistory.deleteAll(h, id);
            deleteCheckpoint(h, id);
            h.createQuery("SELECT space, data_bytes FROM sessions WHERE id = :id").bind("id", id)
                    .map((rs, ctx) -> Map.entry(java.util.Objects.requireNonNullElse(rs.getString("space"), ""),
                            rs.getLong("data_bytes")))
                    .findOne().filter(counted -> !counted.getKey().isEmpty())
                    .ifPresent(counted -> SpaceUsage.add(h, counted.getKey(), -counted.getValue()));
            h.createUpdate("DELETE FROM sessions WHERE id = :id").bind("id", id).execute();
            deleteUnusedData(h);
        });
    }

    /** Bytes of data the sessions counted against {@code space} brought (a total kept as they come and go). */
    public long spaceUsed(String space) {
        return reads.withHandle(h -> h.createQuery("SELECT data_bytes FROM space_usage WHERE space = :space")
                .bind("space", space).mapTo(Long.class).findOne().orElse(0L));
    }

    /**
     * What the limits on runs count, over every node, in one statement: the requester's runs queued,
     * running or paused (a student's, {@code studentId}, else those of the sessions counted against
     * {@code space}: a client address's; 0 when both are null), the runs waiting to start in all,
     * the student's waiting (0 for anyone else), and the bytes of data counted against {@code space}
     * (as {@link #spaceUsed}; 0 when it is null).
     */
    public record RunCounts(int going, int queued, int queuedOfStudent, long spaceBytes) {
    }

    public RunCounts runCounts(String studentId, String space) {
        return reads.withHandle(h -> h.createQuery(runCountsQuery(studentId, space))
                .bind("countedStudent", studentId).bind("countedSpace", space)
                .map((rs, ctx) -> runCounts(rs)).one());
    }

    /** The {@code SELECT} of {@link #runCounts}, its keys bound as {@code :countedStudent} and {@code :countedSpace}. */
    private static String runCountsQuery(String studentId, String space) {
        boolean byAddress = studentId == null && space != null;
        // a null student counts nothing
        String going = byAddress ? "space = :countedSpace" : "student_id = :countedStudent";
        return "SELECT (SELECT COUNT(*) FROM sessions WHERE " + going
                + " AND status IN ('queued', 'running', 'paused')) AS going,"
                + " (SELECT COUNT(*) FROM sessions WHERE status = 'queued') AS queued,"
                + " (SELECT COUNT(*) FROM sessions WHERE status = 'queued' AND student_id = :countedStudent) AS mine,"
                + " (SELECT COALESCE(MAX(data_bytes), 0) FROM space_usage WHERE space = :countedSpace) AS space_bytes";
    }

    private static RunCounts runCounts(ResultSet rs) throws SQLException {
        return new RunCounts(rs.getInt("going"), rs.getInt("queued"), rs.getInt("mine"), rs.getLong("space_bytes"));
    }

    /**
     * What a new session must leave room for on a shared database, counted by the statement that
     * stores it ({@link #insertIfRoom}): {@link #runCounts}'s counts for {@code studentId} and
     * {@code space} below {@code maxGoing}, {@code maxQueued} and {@code maxQueuedOfStudent}, and the
     * space's bytes with the new session's at most {@code maxSpaceBytes}.
     */
    public record Room(String studentId, String space, int maxGoing, int maxQueued, int maxQueuedOfStudent,
                       long maxSpaceBytes) {
        public Room {
            if (maxGoing < 0 || maxQueued < 0 || maxQueuedOfStudent < 0 || maxSpaceBytes < 0) {
                throw new IllegalArgumentException("room: maxGoing, maxQueued, maxQueuedOfStudent and maxSpaceBytes"
                        + " must be 0 or more, found " + maxGoing + ", " + maxQueued + ", " + maxQueuedOfStudent
                        + ", " + maxSpaceBytes);
            }
        }
    }

    /**
     * On PostgreSQL, {@link #insert(StoredSession, String, String, long)} only when there is
     * {@code room}: one statement counts what the limits count and, within them, stores the data,
     * the session and its space's total, and tells the workers. Empty when it stored the session;
     * else the counts that left no room (nothing is stored then).
     */
    public Optional<RunCounts> insertIfRoom(StoredSession session, String csv, String space, long dataBytes,
                                            Room room) {
        if (!database.isShared()) {
            throw new IllegalStateException("the limits are counted in the store only on a shared database");
        }
        return insertInOneStatement(session, csv, space, dataBytes, java.util.Objects.requireNonNull(room, "room"));
    }

    /**
     * A new session on PostgreSQL in one statement, so one round trip: the data, the session, its
     * space's total and the notice to the workers when it waits for one, written only when the
     * {@code WITH}'s part {@code room} has its row — always without a {@code room} to count, else only
     * within it (see {@link #insertIfRoom}, whose answer this is; empty when stored).
     */
    private Optional<RunCounts> insertInOneStatement(StoredSession session, String csv, String space, long dataBytes,
                                                     Room room) {
        boolean counted = space != null && dataBytes != 0;
        boolean notifies = notifiesWorkers(session);
        String sql = "WITH "
                + (room == null ? "room AS (SELECT 1)" : "counts AS (" + runCountsQuery(room.studentId(), room.space())
                        + "), room AS (SELECT 1 FROM counts WHERE going < :maxGoing AND queued < :maxQueued"
                        + " AND mine < :maxQueuedOfStudent AND space_bytes + :dataBytes <= :maxSpaceBytes)")
                + ", data AS (" + saveDataIfAny("room") + ")"
                + ", session AS (INSERT INTO sessions (" + SESSION_COLUMNS + ") SELECT " + SESSION_VALUES + " FROM room)"
                + (counted ? ", usage AS (" + SpaceUsage.addIfAny("room") + ")" : "")
                + (room == null ? " SELECT true AS stored" : " SELECT going, queued, mine, space_bytes,"
                        + " EXISTS (SELECT 1 FROM room) AS stored")
                + (notifies ? ", CASE WHEN EXISTS (SELECT 1 FROM room) THEN pg_notify(:channel, :notice) END" : "")
                + (room == null ? "" : " FROM counts");
        return writes.withHandle(h -> {
            var query = bindNewSession(h.createQuery(sql), session, space, dataBytes)
                    .bind("csv", csv).bind("now", System.currentTimeMillis());
            if (room != null) {
                query.bind("countedStudent", room.studentId()).bind("countedSpace", room.space())
                        .bind("maxGoing", room.maxGoing()).bind("maxQueued", room.maxQueued())
                        .bind("maxQueuedOfStudent", room.maxQueuedOfStudent())
                        .bind("maxSpaceBytes", room.maxSpaceBytes());
            }
            if (counted) {
                query.bind("bytes", dataBytes);
            }
            return (notifies ? database.bindNotice(query, NodeNotifications.Kind.WORK) : query)
                    .map((rs, ctx) -> rs.getBoolean("stored") ? Optional.<RunCounts>empty() : Optional.of(runCounts(rs)))
                    .one();
        });
    }

    /** Notes that someone opened the session (its page or its API) now, for the retention policy. */
    public void markOpened(String id, long now) {
        writes.useHandle(h -> h.createUpdate("UPDATE sessions SET opened_at = :now WHERE id = :id")
                .bind("now", now).bind("id", id).execute());
    }

    /** Sessions nobody opened since {@code cutoff} that are not waiting or training, oldest first. */
    public List<String> notOpenedSince(long cutoff, int max) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT id FROM sessions WHERE opened_at < :cutoff AND status NOT IN (<queued>, <running>, <paused>)
                          AND challenge_id IS NULL
                        ORDER BY opened_at LIMIT :max""")
                .bind("cutoff", cutoff).bind("max", max).mapTo(String.class).list());
    }

    private static void deleteUnusedData(Handle h) {
        h.createUpdate("""
                DELETE FROM datasets WHERE NOT EXISTS (SELECT 1 FROM sessions WHERE sessions.data_hash = datasets.hash)
                """).execute();
    }

    /**
     * Runs left queued, running or paused by a node that is gone — its heartbeat older than the
     * lease, its row deleted, or no node at all (a version before nodes) — are interrupted; this
     * node's own are not touched. On the embedded store, where no other node is ever alive, that is
     * everything unfinished at start-up. Returns how many.
     */
    public int interruptOrphaned(long now) {
        return writes.inTransaction(h -> {
            int interrupted = h.createUpdate("""
                            UPDATE sessions SET status = <interrupted>, finished_at = :now, control = NULL
                            WHERE status IN (<queued>, <running>, <paused>)
                              AND (node_id IS NULL OR (node_id <> :self AND node_id <> <waiting>
                                   AND node_id NOT IN (SELECT id FROM nodes WHERE seen_at >= :aliveSince)))""")
                    .bind("now", now).bind("self", database.node()).bind("aliveSince", database.aliveSince(now))
                    .execute();
            deleteCheckpointsOfEnded(h);
            return interrupted;
        });
    }

    /** At a clean stop: the runs this node still holds are interrupted (they stop with it). */
    public int interruptHeldHere(long now) {
        return writes.inTransaction(h -> {
            int interrupted = h.createUpdate("""
                            UPDATE sessions SET status = <interrupted>, finished_at = :now
                            WHERE status IN (<queued>, <running>, <paused>) AND node_id = :self""")
                    .bind("now", now).bind("self", database.node()).execute();
            deleteCheckpointsOfEnded(h);
            return interrupted;
        });
    }

    /** Checkpoints of runs that are no longer queued, running or paused: nobody goes on from them. */
    private static void deleteCheckpointsOfEnded(Handle h) {
        h.createUpdate("""
                        DELETE FROM checkpoints WHERE session_id IN (SELECT id FROM sessions
                                                                     WHERE status NOT IN (<queued>, <running>, <paused>))""")
                .execute();
    }

    /** Whether other nodes may hold runs (a shared database: PostgreSQL). */
    public boolean isShared() {
        return database.isShared();
    }

    /**
     * Where a stored run stands, for a node that shows it without training it: its ending, how many
     * epochs are stored, and whether it is trained elsewhere — held by another node that is alive,
     * or waiting in the store for a worker — and the epoch of its latest checkpoint (0: none).
     */
    public record RunState(String id, Ending ending, long epochCount, boolean heldElsewhere, int checkpointEpoch) {
    }

    /** The state of each of these sessions that still exists (a deleted one is left out). */
    public Map<String, RunState> runStates(java.util.Collection<String> ids, long now) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return reads.withHandle(h -> database.bindIds(h.createQuery("""
                        SELECT s.id, s.status, s.started_at, s.finished_at, s.failure, s.epoch_count,
                               CASE WHEN s.node_id = <waiting> OR (s.node_id IS NOT NULL AND s.node_id <> :self AND EXISTS (
                                   SELECT 1 FROM nodes n WHERE n.id = s.node_id AND n.seen_at >= :aliveSince))
                                    THEN 1 ELSE 0 END AS elsewhere,
                               COALESCE(c.epoch, 0) AS checkpoint_epoch
                        FROM sessions s LEFT JOIN checkpoints c ON c.session_id = s.id WHERE %s""".formatted(
                        database.isOneOf("s.id", "ids"))), "ids", ids)
                .bind("self", database.node())
                .bind("aliveSince", database.aliveSince(now))
                .map((rs, ctx) -> new RunState(rs.getString("id"), new Ending(RunStatus.fromId(rs.getString("status")),
                        rs.getString("failure"), rs.getLong("started_at"), rs.getLong("finished_at")),
                        rs.getLong("epoch_count"), rs.getInt("elsewhere") == 1, rs.getInt("checkpoint_epoch")))
                .collectToMap(RunState::id, state -> state));
    }

    /** Which of these sessions have a run queued, running or paused now (one cheap query: no joins). */
    public java.util.Set<String> notOver(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return java.util.Set.of();
        }
        return reads.withHandle(h -> database.bindIds(h.createQuery(
                                "SELECT id FROM sessions WHERE status IN (<queued>, <running>, <paused>) AND "
                                        + database.isOneOf("id", "ids")), "ids", ids)
                .mapTo(String.class).set());
    }

    /** The stored epochs after sequence number {@code seq}, in order. */
    public List<EpochEvent> historySince(String id, long seq) {
        return reads.withHandle(h -> EpochHistory.since(h, id, seq));
    }

    /** As {@link #claimNext(int)}, with no limit per student. */
    public Optional<String> claimNext() {
        return claimNext(Integer.MAX_VALUE);
    }

    /** As {@link #claim(int)}, its id only. */
    public Optional<String> claimNext(int perStudent) {
        return claim(perStudent).map(Claim::id);
    }

    /**
     * A run claimed: its session as stored when claimed (waiting, as every node saw it), with the
     * owner actions asked for it while it waited (taken: cleared in the store).
     */
    public record Claim(String id, List<String> controls, StoredSession session) {
        public Claim {
            controls = List.copyOf(controls);
        }
    }

    /**
     * Claims a run that waits for a worker, for this node to train, fairly across the cluster: the
     * class (sessions outside classes count as one) holding the fewest runs on the nodes right now
     * goes first, then the student within it holding the fewest, then the run that has waited
     * longest; a student already holding {@code perStudent} runs waits; a CPU node leaves an image
     * network that has waited less than {@link #GPU_FIRST} to a CUDA worker that is up. The row is
     * locked and skipped by any other node claiming at the same moment, so each run goes to one
     * node. Empty when none may go. The owner actions asked while it waited come with it (a step
     * asked of a paused run that no node held). Only on a shared database.
     */
    public Optional<Claim> claim(int perStudent) {
        if (!database.isShared()) {
            return Optional.empty();
        }
        long now = System.currentTimeMillis();
        // one statement, so no transaction around it: the pick locks the row (skipped by any other
        // node claiming at the same moment) and the update marks it this node's, in one round trip.
        // When nothing waits it is as cheap as a count would be: the partial index of the runs not
        // over finds no waiting row, nothing is locked or written, and PostgreSQL commits without
        // a transaction id or a flush
        return writes.withHandle(h -> h.createQuery("""
                        WITH held AS (
                            SELECT COALESCE(t.class_code, '') AS class_code, h.student_id FROM sessions h
                            LEFT JOIN students t ON t.id = h.student_id
                            WHERE h.status IN (<queued>, <running>, <paused>)
                              AND h.node_id IS NOT NULL AND h.node_id <> <waiting>),
                        picked AS (
                            SELECT s.id, s.control FROM sessions s LEFT JOIN students st ON st.id = s.student_id
                            WHERE s.status = <queued> AND s.node_id = <waiting>
                              AND NOT (s.image_network = 1 AND s.queued_at > :gpuFirstSince
                                       AND EXISTS (SELECT 1 FROM nodes me WHERE me.id = :self AND me.backend <> :cuda)
                                       AND EXISTS (SELECT 1 FROM nodes g WHERE g.backend = :cuda AND g.slots > 0
                                                   AND g.id <> :self AND g.seen_at >= :aliveSince))
                              AND (s.student_id IS NULL
                                   OR (SELECT COUNT(*) FROM held WHERE held.student_id = s.student_id) < :perStudent)
                            ORDER BY (SELECT COUNT(*) FROM held WHERE held.class_code = COALESCE(st.class_code, '')),
                                     (SELECT COUNT(*) FROM held WHERE held.student_id = s.student_id),
                                     s.queued_at, s.id
                            LIMIT 1 FOR UPDATE OF s SKIP LOCKED)
                        UPDATE sessions SET node_id = :self, control = NULL FROM picked WHERE sessions.id = picked.id
                        RETURNING sessions.*, picked.control AS asked""")
                .bind("perStudent", perStudent).bind("self", database.node()).bind("cuda", CUDA)
                .bind("gpuFirstSince", now - GPU_FIRST.toMillis()).bind("aliveSince", database.aliveSince(now))
                .map((rs, ctx) -> new Claim(rs.getString("id"), actions(rs.getString("asked")), session(rs)))
                .findOne());
    }

    /** Whether some run has waited in the store for a worker since before {@code since} (epoch ms). */
    public boolean runsWaitingSince(long since) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM sessions WHERE status = <queued> AND node_id = <waiting>
                          AND queued_at <= :since""")
                .bind("since", since).mapTo(Integer.class).one()) > 0;
    }

    /**
     * Hands a run this node trains back to the queue, for whichever node the fair order picks: its
     * checkpoint at {@code epoch} stored (with the epochs up to it, which stay), it waits again from
     * now. Nothing changes when this node no longer holds it, or when that checkpoint is not the
     * stored one (its write failed: try again).
     */
    public HandBack handBack(String id, int epoch, long now) {
        return handBack(id, epoch, now, RunStatus.QUEUED);
    }

    /**
     * As {@link #handBack(String, int, long)} for a paused run at a clean stop: it waits paused,
     * held by no node, until its owner resumes or steps it on any node ({@link #queueIfParked}).
     */
    public HandBack park(String id, int epoch, long now) {
        return handBack(id, epoch, now, RunStatus.PAUSED);
    }

    private HandBack handBack(String id, int epoch, long now, RunStatus waitsAs) {
        return writes.inTransaction(h -> {
            if (!stillHolds(h, id)) {
                return HandBack.NOT_HELD;
            }
            if (h.createQuery("SELECT COUNT(*) FROM checkpoints WHERE session_id = :id AND epoch = :epoch")
                    .bind("id", id).bind("epoch", epoch).mapTo(Integer.class).one() == 0) {
                return HandBack.CHECKPOINT_NOT_STORED;
            }
            EpochHistory.cutAfterEpoch(h, id, epoch);
            h.createUpdate("""
                            UPDATE sessions SET status = :status, node_id = <waiting>, queued_at = :now,
                                   epoch_count = %s
                            WHERE id = :id""".formatted(EpochHistory.COUNT_OF_SESSION))
                    .bind("status", waitsAs.id()).bind("now", now)
                    .bind("id", id).execute();
            database.notifyNodes(h, NodeNotifications.Kind.WORK);
            return HandBack.LEFT;
        });
    }

    /** What {@link #handBack} did: the run left this node (it waits in the store), or why not. */
    public enum HandBack { LEFT, NOT_HELD, CHECKPOINT_NOT_STORED }

    /** Hears the other nodes' notifications (see {@link NodeNotifications}); only on a shared database. */
    public NodeNotifications listen(java.util.function.Consumer<java.util.List<NodeNotifications.Kind>> onNotified) {
        return NodeNotifications.listen(database, onNotified);
    }

    /** Whether this node trains the runs it queues. */
    public boolean trainsHere() {
        return trainsHere;
    }

    /**
     * Stops a run that still waits for a worker, or waits paused held by no node (nobody else would
     * stop it); false when a node has claimed it meanwhile, or it is not waiting.
     */
    public boolean stopIfWaiting(String id, long now) {
        return writes.inTransaction(h -> {
            boolean stopped = h.createUpdate("""
                            UPDATE sessions SET status = <stopped>, finished_at = :now, control = NULL
                            WHERE id = :id AND status IN (<queued>, <paused>) AND node_id = <waiting>""")
                    .bind("now", now).bind("id", id).execute() == 1;
            if (stopped) {
                deleteCheckpoint(h, id);
            }
            return stopped;
        });
    }

    /**
     * A paused run that no node holds (its node is gone, or stopped cleanly) goes to the queue, for
     * any worker to go on from its checkpoint; {@code step}: it trains one epoch there and pauses
     * again. False when it is not such a run (a node holds it: ask that node instead).
     */
    public boolean queueIfParked(String id, boolean step, long now) {
        return writes.inTransaction(h -> {
            boolean queued = h.createUpdate("""
                            UPDATE sessions SET status = <queued>, queued_at = :now, control = :control
                            WHERE id = :id AND status = <paused> AND node_id = <waiting>""")
                    .bind("now", now).bind("control", step ? "step" : null)
                    .bind("id", id).execute() == 1;
            if (queued) {
                database.notifyNodes(h, NodeNotifications.Kind.WORK);
            }
            return queued;
        });
    }

    /** How many runs waiting for a worker were queued before this one, plus one; 0 when it is not waiting. */
    public int waitingPosition(String id) {
        return reads.withHandle(h -> h.createQuery("""
                        SELECT COUNT(*) FROM sessions w, sessions s
                        WHERE s.id = :id AND s.status = <queued> AND s.node_id = <waiting>
                          AND w.status = <queued> AND w.node_id = <waiting>
                          AND (w.queued_at < s.queued_at OR (w.queued_at = s.queued_at AND w.id <= s.id))""")
                .bind("id", id).mapTo(Integer.class).one());
    }

    /** Asks the node that holds the session's run for an owner action (see {@link #takeControls}). */
    public void requestControl(String id, String action) {
        writes.useTransaction(h -> {
            h.createUpdate("""
                            UPDATE sessions SET control = CASE WHEN control IS NULL THEN :action
                                                               ELSE control || ',' || :action END
                            WHERE id = :id""")
                    .bind("id", id).bind("action", action).execute();
            database.notifyNodes(h, NodeNotifications.Kind.CONTROL); // the holder takes it now
        });
    }

    /** The owner actions asked elsewhere for runs this node holds, in the order asked; taken, so cleared. */
    public Map<String, List<String>> takeControls() {
        boolean any = reads.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM sessions WHERE node_id = :self AND control IS NOT NULL")
                .bind("self", database.node()).mapTo(Integer.class).one()) > 0;
        if (!any) { // the usual case: a read, no transaction that writes
            return Map.of();
        }
        return writes.inTransaction(h -> {
            // locked until cleared, so an action asked meanwhile waits for the next take instead of being lost
            Map<String, List<String>> asked = h.createQuery(
                            "SELECT id, control FROM sessions WHERE node_id = :self AND control IS NOT NULL"
                                    + (database.isShared() ? " FOR UPDATE" : ""))
                    .bind("self", database.node())
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), actions(rs.getString("control"))))
                    .collectToMap(Map.Entry::getKey, Map.Entry::getValue);
            if (!asked.isEmpty()) {
                h.createUpdate("UPDATE sessions SET control = NULL WHERE id IN (<ids>)")
                        .bindList("ids", List.copyOf(asked.keySet())).execute();
            }
            return asked;
        });
    }

    /** The owner actions a row's {@code control} holds, in the order asked (none when it is null). */
    private static List<String> actions(String control) {
        return control == null ? List.of() : List.of(control.split(","));
    }

    /** Listings for the given ids (unknown ones are left out), newest first. */
    public List<SessionListing> listings(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return reads.withHandle(h -> {
            List<SessionListing> rows = h.createQuery("""
                            SELECT id, name, status, dataset, created_at, epoch_count, final_loss
                            FROM sessions WHERE id IN (<ids>) ORDER BY created_at DESC""")
                    .bindList("ids", ids)
                    .map((rs, ctx) -> new SessionListing(rs.getString("id"), rs.getString("name"),
                            rs.getString("status"), rs.getString("dataset"), rs.getLong("created_at"),
                            rs.getLong("epoch_count"), nullableDouble(rs, "final_loss"), Map.of(), new double[0]))
                    .list();
            List<SessionListing> withCurves = new ArrayList<>(rows.size());
            for (SessionListing row : rows) {
                withCurves.add(new SessionListing(row.id(), row.name(), row.status(), row.dataset(), row.createdAt(),
                        row.epochCount(), row.finalLoss(), lastMetrics(h, row.id(), row.epochCount()),
                        curve(h, row.id(), row.epochCount())));
            }
            return withCurves;
        });
    }

    /** The last stored epoch's {@code val_loss} and metrics. */
    private Map<String, Double> lastMetrics(Handle h, String id, long epochs) {
        if (epochs == 0) {
            return Map.of();
        }
        return EpochHistory.last(h, id).filter(last -> last.seq() == epochs).map(last -> {
            Map<String, Double> values = new java.util.LinkedHashMap<>(last.metrics());
            if (last.valLoss() != null) {
                values.put("val_loss", last.valLoss());
            }
            return java.util.Collections.unmodifiableMap(values);
        }).orElse(Map.of());
    }

    private static double[] curve(Handle h, String id, long epochs) {
        if (epochs == 0) {
            return new double[0];
        }
        long step = Math.max(1, (epochs + CURVE_POINTS - 1) / CURVE_POINTS);
        java.util.stream.DoubleStream.Builder curve = java.util.stream.DoubleStream.builder();
        for (EpochBatch.Losses row : EpochHistory.losses(h, id)) {
            for (int i = 0; i < row.seqs().length; i++) {
                long seq = row.seqs()[i];
                if (seq % step == 0 || seq == 1 || seq == epochs) {
                    curve.add(row.losses()[i]);
                }
            }
        }
        return curve.build().toArray();
    }

    private StoredSession session(ResultSet rs) throws SQLException {
        Ending ending = new Ending(RunStatus.fromId(rs.getString("status")), rs.getString("failure"),
                rs.getLong("started_at"), rs.getLong("finished_at"));
        String result = rs.getString("result");
        return new StoredSession(rs.getString("id"), rs.getString("owner_hash"), rs.getString("name"), ending,
                rs.getString("dataset"), rs.getString("data_hash"), read(rs.getString("inputs"), STRINGS),
                read(rs.getString("targets"), STRINGS), read(rs.getString("network"), NetworkSpec.class),
                read(rs.getString("training"), TrainingSpec.class), rs.getString("forked_from"),
                rs.getLong("created_at"), rs.getLong("epoch_count"), nullableDouble(rs, "final_loss"),
                result == null ? null : read(result, TrainingResult.class), rs.getInt("training_rows"),
                features(rs.getString("features")));
    }

    /** The stored ids of a session's derived inputs (NULL: none). */
    private List<sinapsis.model.Feature> features(String ids) {
        if (ids == null) {
            return List.of();
        }
        return read(ids, STRINGS).stream().map(id -> sinapsis.model.Feature.parse("features", id)).toList();
    }

    /** Binds what a run is made of: status, data, columns, network and settings. */
    private <S extends SqlStatement<S>> S bindWhatRuns(S statement, StoredSession session) {
        boolean waits = !trainsHere && session.ending().status() == RunStatus.QUEUED;
        return statement.bind("status", session.ending().status().id())
                .bind("node", waits ? WAITING_FOR_A_WORKER : database.node())
                .bind("dataset", session.dataset())
                .bind("hash", session.dataHash())
                .bind("inputs", write(session.inputs()))
                .bind("targets", write(session.targets()))
                .bind("trainingRows", session.trainingRows())
                .bind("features", session.features().isEmpty() ? null
                        : write(session.features().stream().map(sinapsis.model.Feature::id).toList()))
                .bind("network", write(session.network()))
                .bind("imageNetwork", session.network().hasImageLayers() ? 1 : 0)
                .bind("training", write(session.training()));
    }

    private static <S extends SqlStatement<S>> S bindEnding(S statement, Ending ending) {
        return statement.bind("status", ending.status().id())
                .bind("startedAt", ending.startedAt() > 0 ? ending.startedAt() : null)
                .bind("finishedAt", ending.finishedAt() > 0 ? ending.finishedAt() : null)
                .bind("failure", ending.failure());
    }


    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable: " + e.getMessage(),
                    e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is not readable: " + e.getMessage(), e);
        }
    }
}
