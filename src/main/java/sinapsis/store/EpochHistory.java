package sinapsis.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import sinapsis.training.EpochEvent;

/**
 * The {@code epoch_batches} table: a run's epochs in rows of consecutive epochs ({@link EpochBatch}),
 * appended as the recorder writes them, read whole or after a seq, cut back to an epoch. Every call
 * runs on the caller's handle (inside its transaction when it has one).
 */
final class EpochHistory {
    /** At most this many epochs a row: a reader after a seq decodes at most one row's worth it does not need. */
    static final int ROW_EPOCHS = 1000;
    /** The stored epochs of the session in {@code sessions} (SQL for an {@code UPDATE sessions}). */
    static final String COUNT_OF_SESSION = """
            COALESCE((SELECT SUM(b.size) FROM epoch_batches b WHERE b.session_id = sessions.id), 0)""";
    /** The loss of the session's last stored epoch, NULL when it has none (SQL for an {@code UPDATE sessions}). */
    static final String LAST_LOSS_OF_SESSION = """
            (SELECT b.last_loss FROM epoch_batches b WHERE b.session_id = sessions.id
             ORDER BY b.last_seq DESC LIMIT 1)""";

    private EpochHistory() {
    }

    /** Inserts one row, its values in {@link Row}'s order (positional, for JDBI and plain JDBC alike). */
    static final String INSERT = """
            INSERT INTO epoch_batches (session_id, first_seq, last_seq, size, max_epoch, last_loss, events)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    /**
     * An {@code INSERT} of a write's {@code i}-th row (named parameters ending in {@code i}, see
     * {@link #bindRow}) for the session whose id the query {@code source} gives, when it gives one:
     * for a {@code WITH} that stores it only when the session's row was written.
     */
    static String insertFrom(String source, int i) {
        return "INSERT INTO epoch_batches (session_id, first_seq, last_seq, size, max_epoch, last_loss, events)"
                + " SELECT id, :first" + i + ", :last" + i + ", :size" + i + ", :maxEpoch" + i + ", :lastLoss" + i
                + ", :events" + i + " FROM " + source;
    }

    /** Binds the row that {@link #insertFrom} inserts as the {@code i}-th. */
    static <S extends SqlStatement<S>> S bindRow(S statement, Row row, int i) {
        return statement.bind("first" + i, row.firstSeq()).bind("last" + i, row.lastSeq()).bind("size" + i, row.size())
                .bind("maxEpoch" + i, row.maxEpoch()).bind("lastLoss" + i, row.lastLoss())
                .bind("events" + i, row.events());
    }

    /** One stored row: its epochs' bytes and what queries read of them without decoding. */
    record Row(long firstSeq, long lastSeq, int size, int maxEpoch, double lastLoss, byte[] events) {
        /** Consecutive epochs of one run as one row (at most {@link #ROW_EPOCHS} of them). */
        static Row of(List<EpochEvent> events) {
            EpochEvent last = events.get(events.size() - 1);
            return new Row(events.get(0).seq(), last.seq(), events.size(),
                    events.stream().mapToInt(EpochEvent::epoch).max().orElseThrow(), last.loss(),
                    EpochBatch.encode(events));
        }

        Object[] values(String sessionId) {
            return new Object[] {sessionId, firstSeq, lastSeq, size, maxEpoch, lastLoss, events};
        }
    }

    /** These epochs (in seq order) as rows of at most {@link #ROW_EPOCHS}. */
    static List<Row> rows(List<EpochEvent> events) {
        List<Row> rows = new ArrayList<>();
        for (int from = 0; from < events.size(); from += ROW_EPOCHS) {
            rows.add(Row.of(events.subList(from, Math.min(events.size(), from + ROW_EPOCHS))));
        }
        return rows;
    }

    /** Stores these epochs (in seq order, after those stored) in as few rows as {@link #ROW_EPOCHS} allows. */
    static void append(Handle h, String id, List<EpochEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch(INSERT);
        for (Row row : rows(events)) {
            Object[] values = row.values(id);
            for (int i = 0; i < values.length; i++) {
                batch.bind(i, values[i]);
            }
            batch.add();
        }
        batch.execute();
    }

    /** The stored epochs after sequence number {@code seq}, in order (all of them for 0). */
    static List<EpochEvent> since(Handle h, String id, long seq) {
        List<EpochEvent> events = new ArrayList<>();
        for (byte[] row : stored(h, id, seq)) {
            events.addAll(EpochBatch.decode(row, seq));
        }
        return events;
    }

    /** The last stored epoch, if any. */
    static Optional<EpochEvent> last(Handle h, String id) {
        return h.createQuery("""
                        SELECT events FROM epoch_batches WHERE session_id = :id ORDER BY first_seq DESC LIMIT 1""")
                .bind("id", id).mapTo(byte[].class).findOne()
                .map(EpochBatch::decode).map(events -> events.get(events.size() - 1));
    }

    /** The seqs and losses of every stored epoch, in order. */
    static List<EpochBatch.Losses> losses(Handle h, String id) {
        return stored(h, id, 0).stream().map(EpochBatch::losses).toList();
    }

    /** Drops the stored epochs whose epoch is above {@code epoch} (a history cut back to a checkpoint). */
    static void cutAfterEpoch(Handle h, String id, int epoch) {
        List<StoredRow> above = h.createQuery("""
                        SELECT first_seq, events FROM epoch_batches WHERE session_id = :id AND max_epoch > :epoch
                        ORDER BY first_seq""")
                .bind("id", id).bind("epoch", epoch)
                .map((rs, ctx) -> new StoredRow(rs.getLong("first_seq"), rs.getBytes("events"))).list();
        List<EpochEvent> kept = new ArrayList<>();
        for (StoredRow row : above) {
            h.createUpdate("DELETE FROM epoch_batches WHERE session_id = :id AND first_seq = :first")
                    .bind("id", id).bind("first", row.firstSeq()).execute();
            EpochBatch.decode(row.events()).stream().filter(e -> e.epoch() <= epoch).forEach(kept::add);
        }
        append(h, id, kept);
    }

    static void deleteAll(Handle h, String id) {
        h.createUpdate("DELETE FROM epoch_batches WHERE session_id = :id").bind("id", id).execute();
    }

    private record StoredRow(long firstSeq, byte[] events) {
    }

    private static List<byte[]> stored(Handle h, String id, long afterSeq) {
        return h.createQuery("""
                        SELECT events FROM epoch_batches WHERE session_id = :id AND last_seq > :seq ORDER BY first_seq""")
                .bind("id", id).bind("seq", afterSeq).mapTo(byte[].class).list();
    }
}
