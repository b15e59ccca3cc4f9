package sinapsis.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the H2 database of earlier versions ({@code sinapsis.mv.db}) into the SQLite one, once, on
 * the first start of a version that stores in SQLite: every table, row by row, in one transaction of
 * the writer, so an import cut short by a crash leaves the new database empty and runs again on the
 * next start. When it has committed, the H2 file is renamed {@code sinapsis.mv.db.imported} (kept,
 * never read again). A new database that already holds data is never overwritten.
 */
public final class H2Import {
    private static final Logger LOG = LoggerFactory.getLogger(H2Import.class);
    /** Parents before children, so the foreign keys hold row by row ({@code epochs}: into {@code epoch_batches}). */
    private static final List<String> TABLES = List.of("datasets", "sessions", "epochs", "searches", "classes",
            "students");
    private static final int BATCH = 500;

    /** What an import moved: rows per table, in {@link #TABLES}'s order. */
    public record Imported(List<Long> rows) {
        public long total() {
            return rows.stream().mapToLong(Long::longValue).sum();
        }
    }

    private H2Import() {
    }

    /** Imports {@code dataDir/sinapsis.mv.db} into {@code target} if there is one; empty when there was nothing to do. */
    public static java.util.Optional<Imported> ifPresent(Path dataDir, Database target) {
        Path h2 = dataDir.resolve(DatabaseConfig.H2_FILE);
        if (!Files.exists(h2)) {
            return java.util.Optional.empty();
        }
        if (!isEmpty(target)) {
            LOG.warn("{} is there but the database already holds sessions; it is left as it is", h2);
            return java.util.Optional.empty();
        }
        DatabaseConfig source = DatabaseConfig.h2File(dataDir);
        Imported imported;
        try (Connection h2Connection = DriverManager.getConnection(source.url() + ";ACCESS_MODE_DATA=r",
                source.user(), source.password())) {
            imported = target.writer().inTransaction(h -> copyAll(h2Connection, h));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the H2 database " + h2 + " to import it: " + e.getMessage(),
                    e);
        }
        try {
            Files.move(h2, h2.resolveSibling(DatabaseConfig.H2_FILE + ".imported"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("imported " + h2 + " but cannot rename it", e);
        }
        LOG.info("imported {} rows from {} ({} sessions); the H2 file is kept as {}.imported", imported.total(), h2,
                imported.rows().get(1), DatabaseConfig.H2_FILE);
        return java.util.Optional.of(imported);
    }

    private static boolean isEmpty(Database target) {
        return target.reader().withHandle(h -> h.createQuery("""
                SELECT (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM classes) + (SELECT COUNT(*) FROM searches)
                """).mapTo(Long.class).one()) == 0;
    }

    private static Imported copyAll(Connection h2, Handle target) throws SQLException {
        List<Long> counts = new ArrayList<>();
        for (String table : TABLES) {
            counts.add(table.equals("epochs") // a row per epoch there, a few rows of many here
                    ? LegacyEpochs.read(h2, (id, events) -> EpochHistory.append(target, id, events))
                    : copy(h2, table, target));
        }
        target.execute("UPDATE sessions SET opened_at = COALESCE(finished_at, created_at) WHERE opened_at IS NULL");
        return new Imported(List.copyOf(counts));
    }

    /** Copies the columns both databases have (a column added by a later migration keeps its default). */
    private static long copy(Connection h2, String table, Handle target) throws SQLException {
        Set<String> targetColumns = new LinkedHashSet<>(target.createQuery("SELECT name FROM pragma_table_info(:t)")
                .bind("t", table).mapTo(String.class).list());
        List<String> columns = new ArrayList<>();
        try (ResultSet rs = h2.getMetaData().getColumns(null, null, table.toUpperCase(java.util.Locale.ROOT), null)) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT);
                if (targetColumns.contains(column)) {
                    columns.add(column);
                }
            }
        }
        if (columns.isEmpty()) {
            return 0;
        }
        String names = String.join(", ", columns);
        String values = String.join(", ", columns.stream().map(c -> ":" + c).toList());
        long count = 0;
        try (var statement = h2.createStatement();
             ResultSet rows = statement.executeQuery("SELECT " + names + " FROM " + table)) {
            PreparedBatch batch = target.prepareBatch("INSERT INTO " + table + " (" + names + ") VALUES (" + values
                    + ")");
            while (rows.next()) {
                for (String column : columns) {
                    Object value = rows.getObject(column);
                    batch.bind(column, value instanceof java.sql.Clob text ? text.getSubString(1, (int) text.length())
                            : value);
                }
                batch.add();
                if (++count % BATCH == 0) {
                    batch.execute();
                    batch = target.prepareBatch("INSERT INTO " + table + " (" + names + ") VALUES (" + values + ")");
                }
            }
            if (count % BATCH != 0) {
                batch.execute();
            }
        }
        return count;
    }
}
