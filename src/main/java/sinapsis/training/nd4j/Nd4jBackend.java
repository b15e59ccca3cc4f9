package sinapsis.training.nd4j;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import sinapsis.training.BackendInfo;

/** Says which ND4J backend (CPU or CUDA) is loaded and on what device. */
final class Nd4jBackend {
    private Nd4jBackend() {
    }

    /** Threads one operation of a Dense network may use (see {@link #forDenseWork}). */
    private static volatile int threadsPerOperation = 1;
    /** OpenMP's own team size: OMP_NUM_THREADS when set, else every core. */
    private static final int OPENMP_DEFAULT = openMpDefault();
    /** What this class last told OpenMP on each thread. */
    private static final ThreadLocal<Integer> ompThreads = new ThreadLocal<>();

    static void limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads per operation must be at least 1, found " + threads);
        }
        threadsPerOperation = threads;
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
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
    }

    /**
     * Gives this thread's OpenMP teams their default size again, before an image network's work:
     * its convolutions are large enough for every core to help.
     */
    static void forImageWork() {
        onThisThread(OPENMP_DEFAULT);
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

    static BackendInfo describe() {
        String name = Nd4j.getBackend().getClass().getSimpleName().toLowerCase(Locale.ROOT);
        boolean cuda = name.contains("cuda") || name.contains("jcublas");
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
