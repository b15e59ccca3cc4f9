package sinapsis.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link RecentEvents} in this process's memory; clients quiet for a window are forgotten past 10 000. */
final class InMemoryRecentEvents implements RecentEvents {
    private static final int CLIENTS_BEFORE_FORGETTING = 10_000;
    private final Duration window;
    private final long windowMillis;
    private final Map<String, Deque<Long>> recent = new ConcurrentHashMap<>();

    InMemoryRecentEvents(Duration window) {
        this.window = RecentEvents.checkedWindow(window);
        this.windowMillis = window.toMillis();
    }

    @Override
    public Duration window() {
        return window;
    }

    @Override
    public boolean recordUnlessFull(String client, long now, int limit) {
        Deque<Long> times = recent.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (times) {
            dropOld(times, now);
            if (times.size() >= limit) {
                return false;
            }
            times.addLast(now);
        }
        forgetQuietClients(now);
        return true;
    }

    @Override
    public void record(String client, long now) {
        Deque<Long> times = recent.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(now);
        }
        forgetQuietClients(now);
    }

    @Override
    public List<Long> within(String client, long now) {
        Deque<Long> times = recent.get(client);
        if (times == null) {
            return List.of();
        }
        synchronized (times) {
            dropOld(times, now);
            return List.copyOf(times);
        }
    }

    private void dropOld(Deque<Long> times, long now) {
        while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
            times.pollFirst();
        }
    }

    private void forgetQuietClients(long now) {
        if (recent.size() > CLIENTS_BEFORE_FORGETTING) {
            recent.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty() || e.getValue().peekLast() <= now - windowMillis;
                }
            });
        }
    }
}
