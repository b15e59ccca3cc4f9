package sinapsis.training;

/**
 * Whose run it is, for fair scheduling: a group (a class's code, or empty for sessions outside a
 * class) and who in it (a student's id, or a session's own id). Runs are admitted round-robin
 * across groups, then across owners within a group; per-owner limits apply to students only.
 */
public record RunOwner(String group, String id) {
    public RunOwner {
        group = group == null ? "" : group;
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a run owner needs an id");
        }
    }

    /** A run of its own: no class, no limits shared with other runs. */
    public static RunOwner alone() {
        return new RunOwner("", "run-" + java.util.UUID.randomUUID());
    }

    public boolean isStudent() {
        return !group.isEmpty();
    }
}
