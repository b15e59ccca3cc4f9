package sinapsis.session;

import sinapsis.data.TableSummary;
import sinapsis.model.SessionSpec;
import sinapsis.training.TrainingRun;

/**
 * A training session: its id, owner (the hash of the owner token), name, what was asked, a summary
 * of its table and its current run. A re-run replaces spec, table and run; everything else stays.
 */
public final class Session {
    private final String id;
    private final String ownerHash;
    private final String forkedFrom;
    private final long createdAt;
    private volatile String name;
    private volatile State state;
    private volatile boolean deleted;
    private volatile sinapsis.training.RunOwner runOwner;

    /** What changes together when a session is (re-)run. */
    record State(SessionSpec spec, TableSummary table, String dataHash, TrainingRun run) {
    }

    Session(String id, String ownerHash, String name, String forkedFrom, long createdAt, State state) {
        this.id = id;
        this.ownerHash = ownerHash;
        this.name = name;
        this.forkedFrom = forkedFrom;
        this.createdAt = createdAt;
        this.state = state;
    }

    public String id() {
        return id;
    }

    /** The name its owner gave it, or null. */
    public String name() {
        return name;
    }

    public String forkedFrom() {
        return forkedFrom;
    }

    public long createdAt() {
        return createdAt;
    }

    public SessionSpec spec() {
        return state.spec();
    }

    public TableSummary table() {
        return state.table();
    }

    public TrainingRun run() {
        return state.run();
    }

    /** True once deleted: viewers still holding it are told and let go. */
    public boolean isDeleted() {
        return deleted;
    }

    String ownerHash() {
        return ownerHash;
    }

    State state() {
        return state;
    }

    void replace(State next) {
        state = next;
    }

    void rename(String newName) {
        name = newName;
    }

    void markDeleted() {
        deleted = true;
    }

    /** Whose turn this session's runs take in the fair queue (a student's), or null for its own. */
    public sinapsis.training.RunOwner runOwner() {
        return runOwner;
    }

    public void scheduleAs(sinapsis.training.RunOwner owner) {
        this.runOwner = owner;
    }
}
