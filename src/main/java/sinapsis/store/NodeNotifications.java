package sinapsis.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.concurrent.DaemonThreads;

/**
 * PostgreSQL's {@code LISTEN} for the nodes sharing a database: writes that other nodes follow —
 * a batch of epochs, a run ending, a run waiting for a worker, an owner action asked — {@code NOTIFY}
 * in their transaction ({@link Database#notifyNodes}), and every node hears it on its own
 * connection, outside the pool, and runs {@code onNotified} (its follower's round) at once rather
 * than at its next poll. A lost connection is opened again a second later; meanwhile the poll goes on.
 */
public final class NodeNotifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeNotifications.class);
    private static final int WAIT_MILLIS = 500;

    private final Database database;
    private final java.util.function.Consumer<java.util.List<Kind>> onNotified;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    /** What another node's write changed: runs' histories and states (for the nodes that show them), or work to take. */
    public enum Kind {
        /** Epochs stored, a run's state changed: for the nodes that follow runs they do not train. */
        HISTORY,
        /** A run waits for a worker (new, handed back, requeued): for the nodes that train. */
        WORK,
        /**
         * An owner action was asked for a run (stop, pause, resume, step, delete): for the node that
         * holds it, which takes it now rather than at its next poll (a node of an earlier version,
         * which does not know it, takes it for HISTORY and carries it out at its poll).
         */
        CONTROL,
        /**
         * As {@link #HISTORY}, and a run ended: its viewers on other nodes see it at once, not at
         * their next round (a node of an earlier version, which does not know it, takes it for HISTORY).
         */
        ENDED;

        /** The kind a payload names; an unknown one (a later version's) is HISTORY, what every node reads. */
        static Kind named(String name) {
            for (Kind kind : values()) {
                if (kind.name().equals(name)) {
                    return kind;
                }
            }
            return HISTORY;
        }
    }

    private NodeNotifications(Database database, java.util.function.Consumer<java.util.List<Kind>> onNotified) {
        this.database = database;
        this.onNotified = onNotified;
        this.thread = DaemonThreads.named("node-notifications").newThread(this::listen);
    }

    /**
     * Listens on the database's channel until closed, handing {@code onNotified} the kinds of what
     * other nodes wrote since it last heard, one a notice, in the order written (its own writes are
     * left out); only on a shared database.
     */
    public static NodeNotifications listen(Database database, java.util.function.Consumer<java.util.List<Kind>> onNotified) {
        if (!database.isShared()) {
            throw new IllegalStateException("only nodes on a shared database notify each other");
        }
        NodeNotifications notifications = new NodeNotifications(database, onNotified);
        notifications.thread.start();
        return notifications;
    }

    private void listen() {
        boolean failing = false;
        while (!closed) {
            DatabaseConfig config = database.config();
            try (Connection listening = DriverManager.getConnection(config.url(), config.user(), config.password())) {
                connection = listening;
                try (Statement statement = listening.createStatement()) {
                    statement.execute("LISTEN " + database.channel());
                }
                if (failing) {
                    LOG.info("hearing the other nodes again");
                    failing = false;
                }
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] heard = pg.getNotifications(WAIT_MILLIS);
                    java.util.List<Kind> kinds = new java.util.ArrayList<>();
                    for (PGNotification notification : heard == null ? new PGNotification[0] : heard) {
                        String[] payload = notification.getParameter().split(":", 2);
                        if (payload.length == 2 && !payload[0].equals(database.node())) {
                            kinds.add(Kind.named(payload[1]));
                        }
                    }
                    if (!kinds.isEmpty()) {
                        onNotified.accept(kinds);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    return;
                }
                if (!failing) {
                    LOG.warn("cannot hear the other nodes (polling meanwhile, trying again each second): {}",
                            e.toString());
                    failing = true;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException e) {
                LOG.debug("closing the listening connection", e);
            }
        }
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
