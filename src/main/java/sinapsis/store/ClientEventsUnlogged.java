package sinapsis.store;

import java.sql.Statement;

/**
 * Migration 21, PostgreSQL only: {@code client_events} becomes an unlogged table. Its rows are the
 * clients' recent creations and wrong join codes, counted for limits a minute to ten minutes long;
 * each new session's request recorded one, and as a logged table that was a commit waiting for its
 * own flush to disk, one for every creation besides the session's. An unlogged table writes nothing
 * to the write-ahead log, so such a commit does not wait for the disk. What it gives up is fit for
 * what it holds: after a crash of PostgreSQL the table starts empty (the limits start again from
 * nothing), and a standby has none of it (after a failover, the same). SQLite's server counts these
 * in memory and leaves the table empty, so there it does nothing.
 */
final class ClientEventsUnlogged extends PostgresqlMigration {
    ClientEventsUnlogged() {
        super(21, "client events unlogged");
    }

    @Override
    String sql(Statement statement) {
        return "ALTER TABLE client_events SET UNLOGGED";
    }
}
