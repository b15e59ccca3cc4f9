package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * OpenMP's team size is set per thread: Dense work on one thread keeps the threads per operation it
 * was given while image work on another holds its operations to one (its batch parts run side by side).
 */
class Nd4jBackendTest {
    private static int ompThreadsHere() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    @org.junit.jupiter.api.AfterEach
    void oneThreadPerOperationAgain() {
        Nd4jBackend.limitThreads(1);
    }

    @Test
    void eachThreadKeepsTheTeamSizeItsWorkNeeds() throws Exception {
        Nd4jBackend.limitThreads(2); // ND4J_THREADS=2, so that the two kinds differ
        CountDownLatch denseSet = new CountDownLatch(1);
        CountDownLatch imageSet = new CountDownLatch(1);
        CompletableFuture<int[]> dense = CompletableFuture.supplyAsync(() -> {
            Nd4jBackend.forDenseWork();
            int before = ompThreadsHere();
            denseSet.countDown();
            await(imageSet);
            return new int[] {before, ompThreadsHere()};
        }, runnable -> new Thread(runnable, "dense-work").start());
        CompletableFuture<Integer> image = CompletableFuture.supplyAsync(() -> {
            await(denseSet);
            Nd4jBackend.forPartWork();
            int here = ompThreadsHere();
            imageSet.countDown();
            return here;
        }, runnable -> new Thread(runnable, "image-work").start());

        assertThat(dense.get(30, TimeUnit.SECONDS)).containsExactly(2, 2); // not changed by the other thread
        assertThat(image.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void aPoolThreadTakesTheSizeOfEachKindOfWorkInTurn() throws Exception {
        Nd4jBackend.limitThreads(2);
        int[] seen = CompletableFuture.supplyAsync(() -> {
            Nd4jBackend.forPartWork();
            int image = ompThreadsHere();
            Nd4jBackend.forDenseWork();
            int dense = ompThreadsHere();
            Nd4jBackend.forPartWork();
            return new int[] {image, dense, ompThreadsHere()};
        }, runnable -> new Thread(runnable, "pool-work").start()).get(30, TimeUnit.SECONDS);
        assertThat(seen).containsExactly(1, 2, 1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other thread never got there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
