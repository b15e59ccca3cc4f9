package sinapsis.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sinapsis.store.Database;
import sinapsis.store.DatabaseConfig;

/**
 * Databases for tests: a fresh SQLite file always (as the server uses by default), and a fresh schema on the PostgreSQL that
 * {@code SINAPSIS_TEST_DATABASE_URL} (+ {@code _USER}, {@code _PASSWORD}) points at, when set. The
 * README's test command starts a local PostgreSQL and sets it; under CI its absence is an error.
 */
public final class TestDatabases {
    public static final String URL_VARIABLE = "SINAPSIS_TEST_DATABASE_URL";

    private TestDatabases() {
    }

    /** A new SQLite file in a temporary folder that is removed when the JVM exits. */
    public static DatabaseConfig sqlite() {
        try {
            Path dir = Files.createTempDirectory("sinapsis-db");
            dir.toFile().deleteOnExit();
            for (String file : List.of(DatabaseConfig.SQLITE_FILE, DatabaseConfig.SQLITE_FILE + "-wal",
                    DatabaseConfig.SQLITE_FILE + "-shm")) {
                dir.resolve(file).toFile().deleteOnExit();
            }
            return DatabaseConfig.sqliteFile(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every database the repository tests run against here. */
    public static List<DatabaseConfig> all() {
        List<DatabaseConfig> configs = new ArrayList<>(List.of(sqlite()));
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            configs.add(postgresql(url));
        } else if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(URL_VARIABLE + " is not set: under CI the repository tests must also"
                    + " run against PostgreSQL (src/scripts/test starts one)");
        }
        return configs;
    }

    /**
     * A new schema on the test PostgreSQL for tests that need a database several processes share;
     * empty when none is configured (outside CI: such tests are then skipped; under CI it is an error).
     */
    public static java.util.Optional<DatabaseConfig> sharedPostgresql() {
        return all().stream().filter(config -> !config.isSqlite()).findFirst();
    }

    /** The schemas this JVM made, dropped when it exits (a killed one leaves its own behind). */
    private static final List<String> MADE = new ArrayList<>();

    /** A new, empty schema on the test PostgreSQL, so that every test starts from nothing. */
    private static DatabaseConfig postgresql(String url) {
        DatabaseConfig base = new DatabaseConfig(url,
                System.getenv().getOrDefault(URL_VARIABLE.replace("URL", "USER"), ""),
                System.getenv().getOrDefault(URL_VARIABLE.replace("URL", "PASSWORD"), ""));
        DatabaseConfig fresh = Database.freshSchema(base, "t");
        synchronized (MADE) {
            if (MADE.isEmpty()) { // dropped at exit, so a machine's test PostgreSQL does not collect them run after run
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    List<String> schemas;
                    synchronized (MADE) {
                        schemas = List.copyOf(MADE);
                    }
                    Database.dropSchemas(base, schemas).forEach(left -> System.err.println("test schema left: " + left));
                }, "drop-test-schemas"));
            }
            MADE.add(Database.schemaOf(fresh));
        }
        return fresh;
    }
}
