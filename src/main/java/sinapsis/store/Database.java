package sinapsis.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * Connections to the configured database, migrated to the current schema by Flyway on opening.
 *
 * <p>SQLite (the embedded default) gets exactly one writer connection, so writes queue in the pool
 * instead of failing with {@code SQLITE_BUSY}, and a few reader connections, which WAL lets read
 * while the writer writes. Every connection uses the WAL journal with {@code synchronous=FULL}: a
 * commit returns only once its WAL frames are on disk, so a write that was acknowledged survives a
 * {@code kill -9} or a power cut. PostgreSQL uses one pool for both.
 *
 * <p>Each opening is one node of the processes that share the database: it has an id of its own,
 * which the stores write on the runs this node holds, and a lease — how long after its last
 * heartbeat ({@code sinapsis.cluster.Cluster}) the others take the node for gone. The embedded
 * store has one node by construction: whatever it finds unfinished at start-up was its own.
 */
public final class Database implements AutoCloseable {
    /** How long a SQLite connection waits for a lock another process holds (a second server, a backup). */
    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int READERS = 4;
    private static final int POSTGRES_POOL = 8;

    /** How long a node may go without a heartbeat before the others reclaim what it held. */
    public static final java.time.Duration DEFAULT_LEASE = java.time.Duration.ofSeconds(15);

    private final DatabaseConfig config;
    private final String node = "node-" + java.util.HexFormat.of().formatHex(randomBytes());
    private final java.time.Duration lease;
    private final HikariDataSource writerPool;
    private final HikariDataSource readerPool;
    private final Jdbi writer;
    private final Jdbi reader;
    /** Statements sent through either pool (see {@link #statementsSoFar}). */
    private final java.util.concurrent.atomic.LongAdder statements = new java.util.concurrent.atomic.LongAdder();

    private Database(DatabaseConfig config, java.time.Duration lease, HikariDataSource writerPool,
                     HikariDataSource readerPool) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the node lease must be positive, found " + lease);
        }
        this.config = config;
        this.lease = lease;
        this.writerPool = writerPool;
        this.readerPool = readerPool;
        this.writer = counted(withConstants(Jdbi.create(writerPool)));
        this.reader = readerPool == writerPool ? writer : counted(withConstants(Jdbi.create(readerPool)));
    }

    /** Every statement it runs, whether it succeeds or fails, counted in {@link #statements}. */
    private Jdbi counted(Jdbi jdbi) {
        return jdbi.setSqlLogger(new org.jdbi.v3.core.statement.SqlLogger() {
            @Override
            public void logAfterExecution(org.jdbi.v3.core.statement.StatementContext context) {
                statements.increment();
            }

            @Override
            public void logException(org.jdbi.v3.core.statement.StatementContext context, java.sql.SQLException e) {
                statements.increment();
            }
        });
    }

    /**
     * The statements this process has sent to the database so far through this object — every
     * query and update of every store, a batch counting once — not counting the transactions'
     * commits, the pools' connection checks and the listening connection's wait for notices (the
     * benchmark reads each node's, through {@code /api/health}, to print the statements a batch of
     * epochs costs the cluster).
     */
    public long statementsSoFar() {
        return statements.sum();
    }

    /**
     * The values every query may name as constants rather than parameters: {@code <queued>},
     * {@code <running>}, … (each run status, as a quoted SQL literal) and {@code <waiting>} (the
     * node id of a run that waits for a worker). A status written into the query lets PostgreSQL
     * plan it once per connection: bound as a parameter, it made PostgreSQL plan the statement
     * again at every call (by {@code pg_stat_statements} over a bench run, a quarter of the time of
     * all statements; 6 % with the statuses written in).
     */
    private static Jdbi withConstants(Jdbi jdbi) {
        for (sinapsis.training.RunStatus status : sinapsis.training.RunStatus.values()) {
            jdbi.define(status.name().toLowerCase(java.util.Locale.ROOT), literal(status.id()));
        }
        return jdbi.define("waiting", literal(SessionStore.WAITING_FOR_A_WORKER));
    }

    /** A constant as an SQL string literal (only ever the program's own constants: no quotes inside). */
    private static String literal(String constant) {
        if (!constant.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a plain constant: " + constant);
        }
        return "'" + constant + "'";
    }

    public static Database open(DatabaseConfig config) {
        return open(config, DEFAULT_LEASE);
    }

    public static Database open(DatabaseConfig config, java.time.Duration lease) {
        if (!config.isSqlite()) {
            HikariDataSource pool = pool(config, "sinapsis-db", POSTGRES_POOL, new Properties());
            migrate(pool);
            return new Database(config, lease, pool, pool);
        }
        prepareSqliteFile(config);
        HikariDataSource writerPool = pool(config, "sinapsis-db-writer", 1, sqliteProperties());
        migrate(writerPool);
        HikariDataSource readerPool = pool(config, "sinapsis-db-readers", READERS, sqliteProperties());
        return new Database(config, lease, writerPool, readerPool);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /**
     * A new SQLite file is put in full auto-vacuum mode before anything else writes its header
     * (switching to WAL does): each commit that deletes rows then gives their pages back to the file
     * system, so the file shrinks after deletes without a blocking {@code VACUUM}.
     */
    private static void prepareSqliteFile(DatabaseConfig config) {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(config.url());
             java.sql.Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA auto_vacuum = FULL");
            statement.execute("PRAGMA journal_mode = WAL");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot open the SQLite database " + config.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The pragmas every SQLite connection opens with. */
    private static Properties sqliteProperties() {
        Properties properties = new Properties();
        properties.setProperty("journal_mode", "WAL");
        properties.setProperty("synchronous", "FULL");
        properties.setProperty("foreign_keys", "true");
        properties.setProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MILLIS));
        return properties;
    }

    private static HikariDataSource pool(DatabaseConfig config, String name, int size, Properties properties) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(config.url());
        if (!config.isSqlite()) {
            hikari.setUsername(config.user());
            hikari.setPassword(config.password());
        }
        hikari.setDataSourceProperties(properties);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(Math.min(size, 1));
        hikari.setPoolName(name);
        return new HikariDataSource(hikari);
    }

    private static void migrate(HikariDataSource pool) {
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                    .javaMigrations(new EpochsIntoBatches(), new BatchCompression(), new ClientEventsUnlogged()).load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * A new, empty schema on the PostgreSQL {@code base} points at, as a config that uses it: the
     * benchmark's several processes share it, and nothing else is in it.
     */
    public static DatabaseConfig freshSchema(DatabaseConfig base, String prefix) {
        String schema = prefix + "_" + java.util.UUID.randomUUID().toString().replace("-", "");
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(base.url(), base.user(),
                base.password()); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a schema on " + base.describe() + ": " + e.getMessage(), e);
        }
        return new DatabaseConfig(base.url() + (base.url().contains("?") ? "&" : "?") + "currentSchema=" + schema,
                base.user(), base.password());
    }

    /**
     * Drops the schemas {@link #freshSchema} made on the PostgreSQL {@code base} points at (their
     * names), with all they hold, one connection for all. Cleaning up must not fail what ran: a
     * schema still locked after 2 s (an open transaction) is left, and returned with why.
     */
    public static java.util.List<String> dropSchemas(DatabaseConfig base, java.util.Collection<String> schemas) {
        java.util.List<String> left = new java.util.ArrayList<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(base.url(), base.user(),
                base.password()); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '2s'");
            for (String schema : schemas) {
                try {
                    statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                } catch (java.sql.SQLException e) {
                    left.add(schema + " (" + e.getMessage() + ")");
                }
            }
        } catch (java.sql.SQLException e) {
            left.add(String.join(", ", schemas) + " (" + e.getMessage() + ")");
        }
        return left;
    }

    /** The schema a {@link #freshSchema} config uses. */
    public static String schemaOf(DatabaseConfig fresh) {
        java.util.regex.Matcher schema = java.util.regex.Pattern.compile("[?&]currentSchema=([A-Za-z0-9_]+)")
                .matcher(fresh.url());
        if (!schema.find()) {
            throw new IllegalArgumentException("not a config of Database.freshSchema: " + fresh.describe());
        }
        return schema.group(1);
    }

    /** Transactions committed in this database so far, by every client (PostgreSQL's statistics; a second behind). */
    public long commitsSoFar() {
        return reader.withHandle(h -> h.createQuery(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").mapTo(Long.class).one());
    }

    /** For statements that write (and transactions that read what they then write). */
    Jdbi writer() {
        return writer;
    }

    /** For reads; on SQLite they do not wait for the writer. */
    Jdbi reader() {
        return reader;
    }

    public boolean isSqlite() {
        return config.isSqlite();
    }

    /** Whether other processes may share it (PostgreSQL); the embedded store has one node only. */
    public boolean isShared() {
        return !config.isSqlite();
    }

    /**
     * The condition that {@code column} is one of the ids {@link #bindIds} binds as {@code name}. On
     * PostgreSQL one array parameter ({@code column = ANY(:name)}): a single statement and a single
     * cached plan whatever their number, where a list of n parameters is a statement of its own for
     * each n, planned anew, whose generic plan reads the whole table. On SQLite a list.
     */
    String isOneOf(String column, String name) {
        return isShared() ? column + " = ANY(:" + name + ")" : column + " IN (<" + name + ">)";
    }

    /** Binds the ids of an {@link #isOneOf} condition (at least one). */
    <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindIds(S statement, String name,
            java.util.Collection<String> ids) {
        return isShared() ? statement.bind(name, ids.toArray(String[]::new)) : statement.bindList(name, List.copyOf(ids));
    }

    /** This node's id, written on what it holds. */
    public String node() {
        return node;
    }

    public java.time.Duration lease() {
        return lease;
    }

    /**
     * From when (epoch milliseconds) a node's last heartbeat must date for it to count as alive at
     * {@code now}; on the embedded store no other node is ever alive.
     */
    long aliveSince(long now) {
        return isShared() ? now - lease.toMillis() : Long.MAX_VALUE;
    }

    public DatabaseConfig config() {
        return config;
    }

    private volatile String channel;

    /**
     * The channel the nodes sharing this database (this schema of it) notify each other on:
     * {@code sinapsis_} and the schema's name. Only on a shared database.
     */
    String channel() {
        String known = channel;
        if (known == null) {
            String schema = reader.withHandle(h -> h.createQuery("SELECT current_schema()").mapTo(String.class).one());
            known = ("sinapsis_" + schema.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_"));
            known = known.substring(0, Math.min(known.length(), 63));
            channel = known;
        }
        return known;
    }

    /**
     * Within a write's transaction: tells every other node listening ({@link NodeNotifications})
     * what changed, once the transaction commits. Nothing on the embedded store.
     */
    void notifyNodes(org.jdbi.v3.core.Handle h, NodeNotifications.Kind kind) {
        if (isShared()) { // the payload, this node's id and a constant, needs no quoting
            h.execute("NOTIFY " + channel() + ", '" + notice(kind) + "'");
        }
    }

    /**
     * Binds {@code :channel} and {@code :notice} for a statement that notifies the other nodes with
     * {@code pg_notify(:channel, :notice)}, as {@link #notifyNodes} does in a statement of its own.
     * Only on a shared database.
     */
    <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindNotice(S statement, NodeNotifications.Kind kind) {
        return statement.bind("channel", channel()).bind("notice", notice(kind));
    }

    private String notice(NodeNotifications.Kind kind) {
        return node + ":" + kind.name();
    }

    /**
     * Gives the space of deleted rows back. A SQLite file made by this version is in full auto-vacuum
     * mode, so every commit that deletes already shrinks it; this truncates the write-ahead log and
     * converts an older file with one full {@code VACUUM}. On PostgreSQL {@code VACUUM} makes the space
     * reusable (autovacuum does the same on its own schedule).
     */
    public void reclaimSpace() {
        if (!config.isSqlite()) {
            writer.useHandle(h -> h.execute("VACUUM"));
            return;
        }
        writer.useHandle(h -> {
            if (!"1".equals(h.createQuery("PRAGMA auto_vacuum").mapTo(String.class).one())) {
                h.execute("PRAGMA auto_vacuum = FULL");
                h.execute("VACUUM");
            }
            h.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        });
    }

    /** Bytes the database takes on disk (SQLite: its file and WAL; PostgreSQL: the schema's tables). */
    public long sizeOnDisk() {
        if (config.isSqlite()) {
            return reader.withHandle(h -> h.createQuery(
                    "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
                    .mapTo(Long.class).one());
        }
        return reader.withHandle(h -> h.createQuery("""
                SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind = 'r'""").mapTo(Long.class).one());
    }

    @Override
    public void close() {
        if (readerPool != writerPool) {
            readerPool.close();
        }
        writerPool.close();
    }
}
