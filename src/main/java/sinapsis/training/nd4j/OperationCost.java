package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures, for the bench, what one small ND4J operation costs when it is built and executed each
 * time, against executing it from a context prepared once ({@link NativeCall}): the reason the
 * trainer prepares its operations.
 */
public final class OperationCost {
    private OperationCost() {
    }

    /** Microseconds per call of a 7×2 · 2×1 matrix product: {built each time, prepared once}. */
    public static double[] microsPerMatmul(int calls) {
        INDArray a = Nd4j.rand(DenseNetwork.DTYPE, 7, 2);
        INDArray b = Nd4j.rand(DenseNetwork.DTYPE, 2, 1);
        INDArray out = Nd4j.create(DenseNetwork.DTYPE, 7, 1);
        Runnable built = () -> Nd4j.exec(DynamicCustomOp.builder("matmul").addInputs(a, b).addOutputs(out).build());
        try (NativeCall prepared = NativeOps.matmul(a, b, out, false, false)) {
            return new double[] {micros(built, calls), micros(prepared::run, calls)};
        }
    }

    /**
     * The machine's single-precision matrix-product peak as ND4J reaches it: libnd4j's {@code matmul}
     * (OpenBLAS's sgemm) of two 1024 × 1024 matrices on {@code threads} threads, the best of ten, in
     * GFLOP/s. Leaves the process's threads as Dense work wants them.
     */
    public static double sgemmGflops(int threads) {
        int n = 1024;
        Nd4jBackend.onEveryLevel(threads);
        INDArray a = Nd4j.rand(DenseNetwork.DTYPE, n, n);
        INDArray b = Nd4j.rand(DenseNetwork.DTYPE, n, n);
        INDArray out = Nd4j.create(DenseNetwork.DTYPE, n, n);
        try (NativeCall product = NativeOps.matmul(a, b, out, false, false)) {
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 12; i++) {
                long start = System.nanoTime();
                product.run();
                if (i >= 2) {
                    best = Math.min(best, (System.nanoTime() - start) / 1e9);
                }
            }
            return 2.0 * n * n * n / best / 1e9;
        } finally {
            a.close();
            b.close();
            out.close();
            Nd4jBackend.forDenseWork();
        }
    }

    private static double micros(Runnable call, int calls) {
        for (int i = 0; i < calls / 10; i++) {
            call.run();
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            call.run();
        }
        return (System.nanoTime() - start) / 1000.0 / calls;
    }
}
