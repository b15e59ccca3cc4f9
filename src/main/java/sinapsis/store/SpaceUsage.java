package sinapsis.store;

import org.jdbi.v3.core.Handle;

/**
 * Each space's total of data bytes ({@code space_usage}: a class's, or a hashed client address's,
 * for {@code SINAPSIS_MAX_SPACE_MB}), kept by the transactions that store and remove what counts
 * in it: sessions' pasted tables and the tables of grid searches not over yet.
 */
final class SpaceUsage {
    private SpaceUsage() {
    }

    /** Counts {@code bytes} (fewer when negative) in the space's total, within the transaction that stores or removes them. */
    static void add(Handle h, String space, long bytes) {
        if (space != null && bytes != 0) {
            h.createUpdate(ADD).bind("space", space).bind("bytes", bytes).execute();
        }
    }

    private static final String ADDS_TO_THE_TOTAL =
            " ON CONFLICT (space) DO UPDATE SET data_bytes = space_usage.data_bytes + excluded.data_bytes";

    /** What {@link #add} runs: {@code :bytes} counted in {@code :space}'s total. */
    static final String ADD = "INSERT INTO space_usage (space, data_bytes) VALUES (:space, :bytes)" + ADDS_TO_THE_TOTAL;

    /** As {@link #ADD}, only when the query named {@code rows} (a {@code WITH}'s part) has a row. */
    static String addIfAny(String rows) {
        return "INSERT INTO space_usage (space, data_bytes) SELECT :space, :bytes WHERE EXISTS (SELECT 1 FROM " + rows
                + ")" + ADDS_TO_THE_TOTAL;
    }
}
