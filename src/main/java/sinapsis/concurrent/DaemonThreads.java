package sinapsis.concurrent;

import java.util.concurrent.ThreadFactory;

/** Threads that never keep the process alive, named after what they do (they show so in a thread dump). */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** A factory of daemon threads called {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
