package sinapsis.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 13: the epochs of the row-per-epoch {@code epochs} table into {@code epoch_batches}
 * (made by V12), then that table dropped. In Flyway's transaction, so a migration cut short
 * leaves the old table as it was and runs again on the next start.
 */
final class EpochsIntoBatches extends NumberedMigration {
    EpochsIntoBatches() {
        super(13, "epochs into batches");
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (PreparedStatement insert = connection.prepareStatement(EpochHistory.INSERT)) {
            LegacyEpochs.read(connection, (sessionId, events) -> {
                Object[] values = EpochHistory.Row.of(events).values(sessionId);
                for (int i = 0; i < values.length; i++) {
                    insert.setObject(i + 1, values[i]);
                }
                insert.executeUpdate();
            });
        }
        try (Statement drop = connection.createStatement()) {
            drop.execute("DROP TABLE epochs");
        }
    }
}
