package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One libnd4j operation with its arrays and arguments bound once, in an {@link OpContext}, and run
 * many times. Binding once is what makes tiny networks fast: the per-call cost of building an
 * operation dominates their epochs (the bench prints both costs for a small matmul).
 *
 * <p>On the CPU backend a call goes straight to libnd4j's {@code execCustomOp2}, the call ND4J's
 * executioner makes itself. Around it the executioner only checks and profiles — whether any array
 * was closed, workspaces, the profiler's settings — and rebuilds the lists of the context's arrays
 * from a map, several times a call: a Java Flight Recorder profile of a worker training the course's
 * 1→3→3→1 put that bookkeeping at about a sixth of its training thread's time. The arrays here live
 * as long as the call and no workspace is used. On CUDA the executioner also moves the arrays
 * between the host and the device, so there every call goes through it.
 */
final class NativeCall implements AutoCloseable {
    /** libnd4j itself, on the CPU backend; null on CUDA. */
    private static final org.nd4j.nativeblas.NativeOps DIRECT = Nd4jBackend.isCpu()
            ? NativeOpsHolder.getInstance().getDeviceNativeOps() : null;
    private final DynamicCustomOp op;
    private final long opHash;
    private final OpContext context;

    private NativeCall(String name, INDArray[] inputs, INDArray[] outputs, double[] tArgs, long[] iArgs) {
        this.op = DynamicCustomOp.builder(name).build();
        this.opHash = op.opHash();
        this.context = Nd4j.getExecutioner().buildContext();
        context.setInputArrays(inputs);
        context.setOutputArrays(outputs);
        if (tArgs.length > 0) {
            context.setTArguments(tArgs);
        }
        if (iArgs.length > 0) {
            context.setIArguments(iArgs);
        }
    }

    static Builder of(String name) {
        return new Builder(name);
    }

    void run() {
        if (DIRECT == null) {
            Nd4j.getExecutioner().exec(op, context);
        } else if (DIRECT.execCustomOp2(null, opHash, context.contextPointer()) != 0) {
            throw new IllegalStateException("libnd4j's " + op.opName() + " failed: " + DIRECT.lastErrorMessage());
        }
    }

    /** Replaces the integer arguments (the updaters take the iteration number here). */
    void setIntegerArguments(long... arguments) {
        context.setIArguments(arguments);
    }

    @Override
    public void close() {
        try {
            context.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release an op context", e);
        }
    }

    static final class Builder {
        private final String name;
        private INDArray[] inputs = new INDArray[0];
        private INDArray[] outputs = new INDArray[0];
        private double[] tArgs = new double[0];
        private long[] iArgs = new long[0];

        private Builder(String name) {
            this.name = name;
        }

        Builder in(INDArray... arrays) {
            this.inputs = arrays;
            return this;
        }

        Builder out(INDArray... arrays) {
            this.outputs = arrays;
            return this;
        }

        Builder t(double... arguments) {
            this.tArgs = arguments;
            return this;
        }

        Builder i(long... arguments) {
            this.iArgs = arguments;
            return this;
        }

        NativeCall build() {
            return new NativeCall(name, inputs, outputs, tArgs, iArgs);
        }
    }
}
