package sinapsis.store;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where sessions are stored: a JDBC URL with its user and password. By default a SQLite file
 * ({@code sinapsis.db}) under the data directory; {@code DATABASE_URL} (a JDBC URL, or the
 * {@code postgres://user:password@host:port/db} form hosting platforms hand out) with
 * {@code DATABASE_USER} and {@code DATABASE_PASSWORD} picks another, e.g. PostgreSQL.
 */
public record DatabaseConfig(String url, String user, String password) {
    public static final String SQLITE_FILE = "sinapsis.db";
    public static final String H2_FILE = "sinapsis.mv.db";

    public DatabaseConfig {
        if (url == null || !url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("DATABASE_URL must be a JDBC URL (jdbc:…) or postgres://…, found "
                    + url);
        }
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    /** The embedded default: a SQLite database in {@code dir/sinapsis.db}. */
    public static DatabaseConfig sqliteFile(Path dir) {
        return new DatabaseConfig("jdbc:sqlite:" + dir.toAbsolutePath().resolve(SQLITE_FILE), "", "");
    }

    /** The H2 database of versions before 0.2 in {@code dir/sinapsis.mv.db}, read once to import it. */
    public static DatabaseConfig h2File(Path dir) {
        return new DatabaseConfig("jdbc:h2:file:" + dir.toAbsolutePath().resolve("sinapsis") + ";WRITE_DELAY=0",
                "sa", "");
    }

    /**
     * {@code DATABASE_URL}, {@code DATABASE_USER} and {@code DATABASE_PASSWORD} as given (blank:
     * unset): no URL is the SQLite file under {@code dataDir}; a {@code postgres://user:password@…}
     * URL carries its own user unless one is given.
     */
    public static DatabaseConfig of(String url, String user, String password, Path dataDir) {
        if (url == null || url.isBlank()) {
            return sqliteFile(dataDir);
        }
        user = user == null || user.isBlank() ? null : user;
        if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
            URI uri = URI.create(url);
            String userInfo = uri.getUserInfo();
            if (userInfo != null && user == null) {
                int colon = userInfo.indexOf(':');
                user = colon < 0 ? userInfo : userInfo.substring(0, colon);
                password = colon < 0 ? password : userInfo.substring(colon + 1);
            }
            int port = uri.getPort() > 0 ? uri.getPort() : 5432;
            String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
            url = "jdbc:postgresql://" + uri.getHost() + ":" + port + uri.getRawPath() + query;
        }
        return new DatabaseConfig(url, user, password);
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** Never the password: configs end up in logs and test names. */
    @Override
    public String toString() {
        return describe();
    }

    /** The URL without credentials, for logs. */
    public String describe() {
        int semicolon = url.indexOf(';');
        int question = url.indexOf('?');
        int cut = semicolon < 0 ? question : (question < 0 ? semicolon : Math.min(semicolon, question));
        return cut < 0 ? url : url.substring(0, cut);
    }
}
