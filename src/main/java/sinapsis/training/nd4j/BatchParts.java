package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;
import sinapsis.concurrent.DaemonThreads;

/**
 * Runs the parts of a {@link PartedPass} on as many threads as the run's share of the cores
 * ({@link Nd4jBackend#imageThreads}) at that moment: the training thread takes some, helper
 * threads of the run the others; with one core to use, the training thread runs them all in turn.
 * Every thread holds its operations to one thread of their own ({@link Nd4jBackend#forPartWork}).
 */
final class BatchParts implements AutoCloseable {
    private final int helpers;
    private ExecutorService pool;

    /** @param parts the most parts a pass of this run has */
    BatchParts(int parts) {
        this.helpers = parts - 1;
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
        int threads = Math.min(count, Math.min(helpers + 1, Nd4jBackend.imageThreads()));
        Nd4jBackend.forPartWork();
        if (threads <= 1) {
            for (int p = 0; p < count; p++) {
                part.accept(p);
            }
            return;
        }
        List<Future<?>> others = new ArrayList<>(threads - 1);
        for (int t = 1; t < threads; t++) {
            int thread = t;
            others.add(pool().submit(() -> {
                Nd4jBackend.forPartWork();
                for (int p = thread; p < count; p += threads) {
                    part.accept(p);
                }
            }));
        }
        RuntimeException failure = null;
        try {
            for (int p = 0; p < count; p += threads) {
                part.accept(p);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> other : others) {
            while (true) {
                try {
                    other.get();
                    break;
                } catch (InterruptedException e) {
                    // a part takes milliseconds: it is waited for, and the interrupt kept for the loop to see
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException runtime ? runtime
                                : new IllegalStateException(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private ExecutorService pool() {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(helpers, DaemonThreads.named("trainer-batch-part"));
        }
        return pool;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
