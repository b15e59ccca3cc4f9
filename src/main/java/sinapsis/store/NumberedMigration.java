package sinapsis.store;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A migration written in Java, named by the version and description it is given rather than by its
 * class name (Flyway's {@code BaseJavaMigration} wants {@code V13__…} classes), run in Flyway's
 * transaction: cut short, it leaves the schema as it was and runs again on the next start.
 */
abstract class NumberedMigration implements JavaMigration {
    private final MigrationVersion version;
    private final String description;

    NumberedMigration(int version, String description) {
        this.version = MigrationVersion.fromVersion(String.valueOf(version));
        this.description = description;
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return null;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }
}
