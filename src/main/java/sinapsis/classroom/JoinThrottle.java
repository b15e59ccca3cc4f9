package sinapsis.classroom;

import sinapsis.throttle.RecentEvents;

/**
 * Slows down, then refuses, a client that tries many wrong join codes: each wrong code within the
 * window makes the next answer wait longer (doubling from 100 ms, up to a maximum); after
 * {@code maxFailures} wrong codes within the window the client is refused until the oldest of them
 * leaves the window. A right code does not clear the record (anyone can make a class and join it,
 * so clearing would let a guesser reset the count at will): wrong codes only age out. On a database
 * the nodes share, the wrong codes are counted there: the limit is the cluster's, not each node's.
 */
public final class JoinThrottle {
    private final int maxFailures;
    private final long windowMillis;
    private final long maxDelayMillis;
    private final RecentEvents failures;

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

    /** How many wrong codes a client may try in a window, and the longest wait before an answer. */
    public record Policy(int maxFailures, java.time.Duration window, java.time.Duration maxDelay) {
        /**
         * The server's throttle: 30 wrong codes in 10 minutes per address (a class behind one school
         * address shares it, and its typos with it), answers delayed by up to 2 s.
         */
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

    /** The policy's throttle, counting wrong codes in {@code failures} (the cluster's, on a shared database). */
    public JoinThrottle(Policy policy, RecentEvents failures) {
        this(policy.maxFailures(), policy.maxDelay().toMillis(), failures);
    }

    public JoinThrottle(int maxFailures, long windowMillis, long maxDelayMillis) {
        this(maxFailures, maxDelayMillis, RecentEvents.inMemory(java.time.Duration.ofMillis(windowMillis)));
    }

    private JoinThrottle(int maxFailures, long maxDelayMillis, RecentEvents failures) {
        this.maxFailures = maxFailures;
        this.windowMillis = failures.window().toMillis();
        this.maxDelayMillis = maxDelayMillis;
        this.failures = failures;
    }

    /** Before trying a code: how long to wait first (ms); throws when the client is refused. */
    public long before(String client, long now) {
        java.util.List<Long> recent = failures.within(client, now);
        if (recent.size() >= maxFailures) {
            throw new RefusedException(Math.max(1, (recent.get(0) + windowMillis - now + 999) / 1000));
        }
        return recent.isEmpty() ? 0 : Math.min(maxDelayMillis, 100L << Math.min(recent.size() - 1, 5));
    }

    public void failed(String client, long now) {
        failures.record(client, now);
    }
}
