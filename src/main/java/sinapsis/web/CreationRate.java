package sinapsis.web;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many things (sessions, forks, searches, classes) one client address created in the last
 * minute; over the limit a request is refused with a 429 naming the limit.
 */
final class CreationRate {
    private static final long WINDOW_MILLIS = 60_000;
    private final int perMinute;
    private final Map<String, Deque<Long>> recent = new ConcurrentHashMap<>();

    CreationRate(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Counts one creation by {@code client}, or refuses it. */
    void check(String client) {
        long now = System.currentTimeMillis();
        Deque<Long> times = recent.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MILLIS) {
                times.pollFirst();
            }
            if (times.size() >= perMinute) {
                throw new ApiError(429, null, "error.tooManyCreated", perMinute);
            }
            times.addLast(now);
        }
        if (recent.size() > 10_000) { // forget clients that have been quiet for a minute
            recent.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty() || e.getValue().peekLast() <= now - WINDOW_MILLIS;
                }
            });
        }
    }
}
