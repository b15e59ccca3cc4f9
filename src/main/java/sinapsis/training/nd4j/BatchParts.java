package sinapsis.training.nd4j;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Runs the parts of a {@link PartedPass} on as many threads as the run's share of the cores
 * ({@link Nd4jBackend#imageThreads}) at that moment: the training thread takes some, helper
 * threads of the run the others; with one core to use, the training thread runs them all in turn.
 * Every thread holds its operations to one thread of their own ({@link Nd4jBackend#forPartWork}).
 *
 * <p>A thread that waits — a helper for its next parts, the training thread for the helpers to
 * end — spins for up to {@link #SPIN_NANOS} before it parks, as OpenMP's teams do: a parked thread
 * took 60–100 µs to wake here, and a batch hands work over twice (its parts, then its gradient's
 * sum and the optimizer's step) with gaps much shorter than that in between.
 */
final class BatchParts implements AutoCloseable {
    /** How long a waiting thread spins before it parks. */
    static final long SPIN_NANOS = 200_000;
    /** The helpers' name, as a thread dump shows them. */
    static final String THREAD_NAME = "trainer-batch-part";

    private final Helper[] helpers;
    private volatile boolean closed;

    /** @param parts the most parts a pass of this run has */
    BatchParts(int parts) {
        this.helpers = new Helper[Math.max(0, parts - 1)];
    }

    /**
     * Runs {@code part} for 0 … count − 1, and returns when all have; a part's failure is thrown
     * here, after the others have ended. Then the calling thread's OpenMP teams take the run's
     * share of the cores again until its next parts (a little faster here than staying at one, for
     * a reason not pinned down; libnd4j's process-wide pool stays at one).
     */
    void each(int count, IntConsumer part) {
        try {
            run(count, part);
        } finally {
            Nd4jBackend.afterParts();
        }
    }

    private void run(int count, IntConsumer part) {
        int threads = Math.min(count, Math.min(helpers.length + 1, Nd4jBackend.imageThreads()));
        Nd4jBackend.forPartWork();
        if (threads <= 1) {
            for (int p = 0; p < count; p++) {
                part.accept(p);
            }
            return;
        }
        if (closed) {
            throw new IllegalStateException("the batch parts' threads are closed");
        }
        Job job = new Job(part, count, threads, Thread.currentThread());
        for (int t = 1; t < threads; t++) {
            helper(t - 1).give(job);
        }
        job.runShare(0);
        job.awaitHelpers();
        if (job.failure instanceof Error error) {
            throw error;
        }
        if (job.failure != null) {
            throw (RuntimeException) job.failure;
        }
    }

    private Helper helper(int index) {
        if (helpers[index] == null) {
            helpers[index] = new Helper(index + 1);
        }
        return helpers[index];
    }

    @Override
    public void close() {
        closed = true;
        for (Helper helper : helpers) {
            if (helper != null) {
                helper.stop();
            }
        }
    }

    /** Spins until {@code done} says so or {@link #SPIN_NANOS} have passed; whether it is done. */
    private static boolean spinUntil(java.util.function.BooleanSupplier done) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - start > SPIN_NANOS) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    /** One call's parts: thread t runs parts t, t + threads, …; the last to end wakes the caller. */
    private static final class Job {
        private final IntConsumer part;
        private final int count;
        private final int threads;
        private final Thread caller;
        /** Threads still running their share, the caller's included. */
        private final AtomicInteger running;
        /** The first part's failure: a RuntimeException or an Error. */
        private volatile Throwable failure;

        Job(IntConsumer part, int count, int threads, Thread caller) {
            this.part = part;
            this.count = count;
            this.threads = threads;
            this.caller = caller;
            this.running = new AtomicInteger(threads);
        }

        /**
         * Runs thread {@code t}'s parts (a helper's after holding its operations to one thread);
         * a failure is kept for the caller (the first one).
         */
        void runShare(int t) {
            try {
                if (t != 0) {
                    Nd4jBackend.forPartWork();
                }
                for (int p = t; p < count; p += threads) {
                    part.accept(p);
                }
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            } finally {
                if (running.decrementAndGet() == 0 && t != 0) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /**
         * Waits for the helpers' shares. A part takes milliseconds: an interrupt does not cut the
         * wait short, it is kept for the loop to see.
         */
        void awaitHelpers() {
            if (spinUntil(() -> running.get() == 0)) {
                return;
            }
            boolean interrupted = false;
            while (running.get() != 0) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A daemon thread that runs its share of each job it is given, spinning then parking in between. */
    private static final class Helper {
        private final int share;
        private final Thread thread;
        private volatile Job next;
        private volatile boolean stopped;

        Helper(int share) {
            this.share = share;
            this.thread = new Thread(this::loop, THREAD_NAME);
            thread.setDaemon(true);
            thread.start();
        }

        void give(Job job) {
            next = job;
            LockSupport.unpark(thread);
        }

        void stop() {
            stopped = true;
            LockSupport.unpark(thread);
        }

        private void loop() {
            while (true) {
                if (!spinUntil(() -> next != null || stopped)) {
                    while (next == null && !stopped) {
                        LockSupport.park(this);
                        Thread.interrupted(); // nothing interrupts a helper but a stop, which the flag says
                    }
                }
                if (stopped) {
                    return;
                }
                Job job = next;
                next = null;
                job.runShare(share);
            }
        }
    }
}
