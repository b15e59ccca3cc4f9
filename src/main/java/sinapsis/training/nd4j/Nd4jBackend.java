package sinapsis.training.nd4j;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.training.BackendInfo;

/** Says which ND4J backend (CPU or CUDA) is loaded and on what device. */
final class Nd4jBackend {
    private Nd4jBackend() {
    }

    static void limitThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads per operation must be at least 1, found " + threads);
        }
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
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
