package sinapsis.training.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The process trains with the libnd4j build the project ships: the oneDNN one (the image trainer's
 * convolution and pooling run through it), and the jar carries no other, so there is nothing else
 * the loader could pick.
 */
class NativeBuildTest {
    @Test
    void libnd4jIsLoadedFromTheOneDnnBuildAndNoOtherBuildIsOnTheClasspath() {
        Nd4j.create(1).close(); // loads the backend
        Map<String, String> loaded = Loader.getLoadedLibraries();
        String libnd4j = loaded.entrySet().stream().filter(e -> e.getKey().contains("nd4jcpu")
                        && !e.getKey().contains("jni")).map(Map.Entry::getValue).findFirst().orElse(null);
        assertThat(libnd4j).as("loaded libraries: " + loaded).isNotNull().contains("linux-x86_64-onednn");
        assertThat(NativeBuildTest.class.getClassLoader()
                .getResource("org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64/libnd4jcpu.so"))
                .as("the plain linux-x86_64 build (323 MB) is left out of the artifact").isNull();
    }
}
