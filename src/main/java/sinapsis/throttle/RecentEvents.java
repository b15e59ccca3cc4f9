package sinapsis.throttle;

import java.time.Duration;
import java.util.List;

/**
 * The times of one kind of event (a creation, a wrong join code) each client had within a sliding
 * window; older ones no longer count and are forgotten.
 */
public interface RecentEvents {
    /** The window an event counts in. */
    Duration window();

    /**
     * Records an event of {@code client} at {@code now}, unless it already has {@code limit} within
     * the window; false when it had.
     */
    boolean recordUnlessFull(String client, long now, int limit);

    /** Records an event of {@code client} at {@code now}. */
    void record(String client, long now);

    /** The times (epoch ms) of {@code client}'s events within the window before {@code now}, oldest first. */
    List<Long> within(String client, long now);

    /** {@code window}, refused unless positive (naming the value). */
    static Duration checkedWindow(Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("recent events: window must be positive, found " + window);
        }
        return window;
    }

    /** Events counted in this process's memory: one server's own. */
    static RecentEvents inMemory(Duration window) {
        return new InMemoryRecentEvents(window);
    }
}
