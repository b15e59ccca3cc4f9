package sinapsis.session;

/**
 * Who asks for a session, for the limits that protect a shared server from one client: {@code client}
 * counts the runs they have training or waiting, {@code space} the database space their sessions
 * take (a student's space is their class's). Either may be null (a grid search's refit: no limit).
 */
public record Requester(String client, String space) {
    /** No one in particular: nothing is counted. */
    public static final Requester NONE = new Requester(null, null);
    private static final String STUDENT = "student:";

    /** The student asking, or null for anyone else. */
    public String studentId() {
        return client != null && client.startsWith(STUDENT) ? client.substring(STUDENT.length()) : null;
    }

    /** A student of a class: their own runs, their class's space. */
    public static Requester student(String studentId, String classCode) {
        return new Requester(STUDENT + studentId, "class:" + classCode);
    }

    /** Anyone else, by the address the request came from (stored only hashed). */
    public static Requester address(String address) {
        String hashed = "address:" + OwnerTokens.hash(address == null ? "" : address).substring(0, 32);
        return new Requester(hashed, hashed);
    }
}
