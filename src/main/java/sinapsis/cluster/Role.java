package sinapsis.cluster;

import java.util.Locale;

/**
 * What a node does ({@code SINAPSIS_ROLE}). {@code all}, the default, is one whole server: pages,
 * API and sockets, and it trains the runs created on it and, when it has a slot free, runs that
 * wait in the shared database for a worker. {@code web} serves and trains nothing: the runs created
 * on it wait in the database for a worker. {@code worker} trains the runs waiting in the database
 * (it answers HTTP too, health included, but needs no place behind the proxy). {@code web} and
 * {@code worker} need a database the nodes share (PostgreSQL).
 */
public enum Role {
    ALL, WEB, WORKER;

    /** Whether this node trains: the runs created on it, and those it claims. */
    public boolean trains() {
        return this != WEB;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} ({@code all}, {@code web} or {@code worker}); anything else is refused, naming it. */
    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.id().equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("SINAPSIS_ROLE must be all, web or worker, found '" + text + "'");
    }
}
