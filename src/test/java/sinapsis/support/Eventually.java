package sinapsis.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition against a deadline instead of sleeping a fixed time. */
public final class Eventually {
    private Eventually() {
    }

    public static void waitFor(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
