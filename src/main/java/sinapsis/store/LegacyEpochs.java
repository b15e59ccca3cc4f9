package sinapsis.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sinapsis.training.EpochEvent;

/**
 * Reads the row-per-epoch {@code epochs} table of the versions before V13 (and of the H2 files of
 * still earlier ones): each session's epochs in seq order, in chunks of at most
 * {@link EpochHistory#ROW_EPOCHS}, so that a large history is never held whole.
 */
final class LegacyEpochs {
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() { };

    /** Receives one session's next chunk of epochs. */
    interface Chunks {
        void accept(String sessionId, List<EpochEvent> events) throws SQLException;
    }

    private LegacyEpochs() {
    }

    /** Hands every session's epochs to {@code to}, chunk by chunk; returns how many epochs were read. */
    static long read(Connection connection, Chunks to) throws SQLException {
        long count = 0;
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT session_id, seq, epoch, loss, val_loss, metrics FROM epochs ORDER BY session_id, seq")) {
            query.setFetchSize(EpochHistory.ROW_EPOCHS); // PostgreSQL streams in a transaction instead of reading all
            try (ResultSet rows = query.executeQuery()) {
                String session = null;
                List<EpochEvent> chunk = new ArrayList<>();
                while (rows.next()) {
                    String id = rows.getString("session_id");
                    if (!id.equals(session) && !chunk.isEmpty() || chunk.size() == EpochHistory.ROW_EPOCHS) {
                        to.accept(session, List.copyOf(chunk));
                        chunk.clear();
                    }
                    session = id;
                    double valLoss = rows.getDouble("val_loss");
                    Double nullableValLoss = rows.wasNull() ? null : valLoss;
                    chunk.add(new EpochEvent(rows.getLong("seq"), rows.getInt("epoch"), rows.getDouble("loss"),
                            nullableValLoss, metrics(rows.getString("metrics"))));
                    count++;
                }
                if (!chunk.isEmpty()) {
                    to.accept(session, List.copyOf(chunk));
                }
            }
        }
        return count;
    }

    private static Map<String, Double> metrics(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return sinapsis.json.Json.mapper().readValue(json, METRICS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored epoch's metrics are not readable: " + e.getMessage(), e);
        }
    }
}
