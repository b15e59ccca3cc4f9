package sinapsis.classroom;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down, then refuses, a client that tries many wrong join codes: each wrong code within the
 * window makes the next answer wait longer (doubling from 100 ms, up to a maximum); after
 * {@code maxFailures} wrong codes within the window the client is refused until the oldest of them
 * leaves the window. A right code does not clear the record (anyone can make a class and join it,
 * so clearing would let a guesser reset the count at will): wrong codes only age out.
 */
public final class JoinThrottle {
    private final int maxFailures;
    private final long windowMillis;
    private final long maxDelayMillis;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    /** Refused: how many seconds until the client may try again. */
    public static final class RefusedException extends RuntimeException {
        private final long retryAfterSeconds;

        RefusedException(long retryAfterSeconds) {
            super("too many wrong join codes; retry after " + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * The server's throttle: 30 wrong codes in 10 minutes per address (a class behind one school
     * address shares it, and its typos with it), answers delayed by up to 2 s.
     */
    /** How many wrong codes a client may try in a window, and the longest wait before an answer. */
    public record Policy(int maxFailures, java.time.Duration window, java.time.Duration maxDelay) {
        /** 30 wrong codes in 10 minutes; each answer waits longer, up to 2 s. */
        public static final Policy STANDARD = new Policy(30, java.time.Duration.ofMinutes(10),
                java.time.Duration.ofSeconds(2));

        public Policy {
            if (maxFailures < 1 || window == null || window.isNegative() || window.isZero() || maxDelay == null
                    || maxDelay.isNegative()) {
                throw new IllegalArgumentException("join throttle: maxFailures " + maxFailures + ", window " + window
                        + ", maxDelay " + maxDelay);
            }
        }
    }

    public JoinThrottle(Policy policy) {
        this(policy.maxFailures(), policy.window().toMillis(), policy.maxDelay().toMillis());
    }

    public JoinThrottle(int maxFailures, long windowMillis, long maxDelayMillis) {
        this.maxFailures = maxFailures;
        this.windowMillis = windowMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    /** Before trying a code: how long to wait first (ms); throws when the client is refused. */
    public long before(String client, long now) {
        Deque<Long> recent = failures.get(client);
        if (recent == null) {
            return 0;
        }
        synchronized (recent) {
            while (!recent.isEmpty() && recent.peekFirst() <= now - windowMillis) {
                recent.pollFirst();
            }
            if (recent.size() >= maxFailures) {
                throw new RefusedException(Math.max(1, (recent.peekFirst() + windowMillis - now + 999) / 1000));
            }
            return recent.isEmpty() ? 0 : Math.min(maxDelayMillis, 100L << Math.min(recent.size() - 1, 5));
        }
    }

    public void failed(String client, long now) {
        Deque<Long> recent = failures.computeIfAbsent(client, k -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(now);
        }
        if (failures.size() > 10_000) { // forget clients whose wrong codes have all aged out
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().isEmpty() || e.getValue().peekLast() <= now - windowMillis;
                }
            });
        }
    }
}
