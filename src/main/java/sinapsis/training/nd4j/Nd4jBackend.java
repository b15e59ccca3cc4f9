package sinapsis.training.nd4j;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import sinapsis.training.BackendInfo;

/** Says which ND4J backend (CPU or CUDA) is loaded and on what device. */
final class Nd4jBackend {
    private Nd4jBackend() {
    }

    static {
        Nd4j.getBackend(); // loads libnd4j: OpenMP's settings below go through it
    }

    /** What {@link #processWide} last told libnd4j and OpenBLAS (0: nothing yet). */
    private static int processThreads;
    /** Threads one operation of a Dense network may use (see {@link #forDenseWork}). */
    private static volatile int threadsPerOperation = 1;
    /** OpenMP's own team size: OMP_NUM_THREADS when set, else every core. */
    private static final int OPENMP_DEFAULT = openMpDefault();
    /** What this class last told OpenMP on each thread. */
    private static final ThreadLocal<Integer> ompThreads = new ThreadLocal<>();
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Training runs computing at this moment (not paused, not waiting for their pace), of any kind. */
    private static final AtomicInteger computing = new AtomicInteger();
    /** The most threads an image run's batch parts may use. */
    private static volatile int imageThreadLimit = OPENMP_DEFAULT;

    static void limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads per operation must be at least 1, found " + threads);
        }
        threadsPerOperation = threads;
        processWide(threads);
    }

    /**
     * libnd4j's own thread pool and OpenBLAS's threads, which are process-wide (OpenMP's teams are
     * per thread, {@link #onThisThread}): told again only when the count changes. Image work holds
     * them to one, Dense work to its threads per operation (one unless ND4J_THREADS says more).
     */
    private static synchronized void processWide(int threads) {
        if (processThreads != threads) {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
            processThreads = threads;
        }
    }

    /**
     * Holds this thread's OpenMP teams to the threads per operation, before a Dense network's
     * work. OpenMP keeps its team size per thread, and libnd4j's own limit does not reach every
     * kernel: a training thread that never said so got a second OpenMP thread that spun between
     * the tiny ops of a Dense network — a whole core kept busy waiting, which the server's other
     * threads (the live views, the sockets, other runs) then had to share with training.
     */
    static void forDenseWork() {
        onThisThread(threadsPerOperation);
        processWide(threadsPerOperation);
    }

    /**
     * One thread for each of this thread's operations, libnd4j's pool and OpenBLAS's included,
     * before an image network's work: its batches run as parts side by side ({@link BatchParts}) on
     * the run's share of the cores ({@link #imageThreads}) — a lone CNN run takes every core, two take
     * half each rather than both asking for every core, which made each wait for the other's
     * threads. (Changing libnd4j's process-wide pool size between operations costs more than the
     * operations: it is never changed per batch.)
     */
    static void forPartWork() {
        onThisThread(1);
        processWide(1);
    }

    /** {@code threads} for this thread's OpenMP teams and for libnd4j's and OpenBLAS's (the bench's peak). */
    static void onEveryLevel(int threads) {
        onThisThread(threads);
        processWide(threads);
    }

    /** This thread's OpenMP teams at the run's share of the cores (between batch parts). */
    static void afterParts() {
        onThisThread(imageThreads());
    }

    static int cores() {
        return CORES;
    }

    /**
     * How many threads an image run's batch parts may take now: the cores shared among the runs
     * computing, at most OMP_NUM_THREADS when that is set ({@link #limitImageThreads}). Asked before
     * every batch, so a run follows the others as they start and end.
     */
    static int imageThreads() {
        return Math.max(1, Math.min(imageThreadLimit, CORES / Math.max(1, computing.get())));
    }

    /** At most {@code threads} for an image run's batch parts (OMP_NUM_THREADS, or every core, by default). */
    static void limitImageThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads per image operation must be at least 1, found " + threads);
        }
        imageThreadLimit = threads;
    }

    /** Counts a run among those computing until it closes; it may step out while it waits ({@link Computing#idle}). */
    static Computing computing() {
        return new Computing();
    }

    /** One run's share of the cores, held while it computes. */
    static final class Computing implements AutoCloseable {
        private boolean holds;

        private Computing() {
            busy();
        }

        /** Waiting (paused, keeping its pace): the others may take its cores meanwhile. */
        void idle() {
            if (holds) {
                holds = false;
                computing.decrementAndGet();
            }
        }

        void busy() {
            if (!holds) {
                holds = true;
                computing.incrementAndGet();
            }
        }

        @Override
        public void close() {
            idle();
        }
    }

    /** Pool threads run Dense and image work in turn: the size is said again only when it changes. */
    private static void onThisThread(int threads) {
        Integer told = ompThreads.get();
        if (told == null || told != threads) {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
            ompThreads.set(threads);
        }
    }

    static int openMpDefault() {
        String set = System.getenv("OMP_NUM_THREADS");
        try {
            if (set != null && Integer.parseInt(set.split(",")[0].trim()) > 0) {
                return Integer.parseInt(set.split(",")[0].trim());
            }
        } catch (NumberFormatException ignored) {
            // OpenMP ignores a value it cannot read, and so does this
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Whether the backend loaded is ND4J's CPU one (else CUDA). */
    static boolean isCpu() {
        String name = Nd4j.getBackend().getClass().getSimpleName().toLowerCase(Locale.ROOT);
        return !(name.contains("cuda") || name.contains("jcublas"));
    }

    static BackendInfo describe() {
        boolean cuda = !isCpu();
        var env = Nd4j.getExecutioner().getEnvironmentInformation();
        String device;
        if (cuda) {
            Object devices = env.get("cuda.devicesInformation");
            device = devices != null ? devices.toString() : "CUDA device";
        } else {
            device = System.getProperty("os.arch") + ", " + env.getOrDefault("cores", Runtime.getRuntime()
                    .availableProcessors()) + " cores, " + env.getOrDefault("blas.vendor", "BLAS");
        }
        return new BackendInfo(cuda ? "CUDA" : "CPU", device);
    }
}
