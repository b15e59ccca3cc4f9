package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What one training run holds off the heap — prepared operations, passes, buffers — released at its end. */
final class RunResources implements AutoCloseable {
    private final List<AutoCloseable> resources = new ArrayList<>();

    <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    /** An array freed with the run (megabytes off the heap for a large gradient and the optimizer's state). */
    INDArray keepArray(INDArray array) {
        resources.add(array::close);
        return array;
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot release training resources", e);
            }
        }
        resources.clear();
    }
}
