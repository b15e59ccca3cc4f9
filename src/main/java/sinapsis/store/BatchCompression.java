package sinapsis.store;

import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Migration 15, PostgreSQL only: how {@code epoch_batches.events} is kept. A batch of 1000 epochs
 * is ~30 kB, which PostgreSQL compresses and moves out of the row; its default compression (pglz)
 * made that {@code INSERT} the costliest statement of a class training at once (by
 * {@code pg_stat_statements} over ClusterBench), lz4 far cheaper at about the same size. lz4 where
 * the server has it (PostgreSQL 14 and later, built with it: Debian's is); else the bytes are
 * stored out of line uncompressed (cheap to write, larger). Rows already stored stay as they are;
 * SQLite compresses nothing, so there it does nothing.
 */
final class BatchCompression extends PostgresqlMigration {
    BatchCompression() {
        super(15, "epoch batches compressed with lz4");
    }

    @Override
    String sql(Statement statement) throws java.sql.SQLException {
        return hasLz4(statement) ? "ALTER TABLE epoch_batches ALTER COLUMN events SET COMPRESSION lz4"
                : "ALTER TABLE epoch_batches ALTER COLUMN events SET STORAGE EXTERNAL";
    }

    /** Whether the server can compress with lz4 (listed among {@code default_toast_compression}'s values). */
    static boolean hasLz4(Statement statement) throws java.sql.SQLException {
        try (ResultSet rows = statement.executeQuery(
                "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)")) {
            return rows.next();
        }
    }
}
