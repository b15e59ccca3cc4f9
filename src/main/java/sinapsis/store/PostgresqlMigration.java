package sinapsis.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.Context;

/** A migration of one statement that only PostgreSQL runs; on the embedded SQLite it does nothing. */
abstract class PostgresqlMigration extends NumberedMigration {
    PostgresqlMigration(int version, String description) {
        super(version, description);
    }

    /** The statement to run; {@code statement} may first ask the server what it supports. */
    abstract String sql(Statement statement) throws SQLException;

    @Override
    public final void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql(statement));
        }
    }
}
