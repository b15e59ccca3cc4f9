package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.nativeblas.NativeOpsHolder;

/** OpenMP's team size is set per thread: Dense work on one thread, image work on another. */
class Nd4jBackendTest {
    private static int ompThreadsHere() {
        return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
    }

    @Test
    void eachThreadKeepsTheTeamSizeItsWorkNeeds() throws Exception {
        Nd4jBackend.limitThreads(1);
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
            Nd4jBackend.forImageWork();
            int here = ompThreadsHere();
            imageSet.countDown();
            return here;
        }, runnable -> new Thread(runnable, "image-work").start());

        assertThat(dense.get(30, TimeUnit.SECONDS)).containsExactly(1, 1); // not changed by the other thread
        assertThat(image.get(30, TimeUnit.SECONDS)).isEqualTo(Nd4jBackend.openMpDefault());
    }

    @Test
    void aPoolThreadTakesTheSizeOfEachKindOfWorkInTurn() throws Exception {
        Nd4jBackend.limitThreads(1);
        int[] seen = CompletableFuture.supplyAsync(() -> {
            Nd4jBackend.forImageWork();
            int image = ompThreadsHere();
            Nd4jBackend.forDenseWork();
            int dense = ompThreadsHere();
            Nd4jBackend.forImageWork();
            return new int[] {image, dense, ompThreadsHere()};
        }, runnable -> new Thread(runnable, "pool-work").start()).get(30, TimeUnit.SECONDS);
        int standard = Nd4jBackend.openMpDefault();
        assertThat(seen).containsExactly(standard, 1, standard);
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
