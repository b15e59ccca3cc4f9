package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One libnd4j operation with its arrays and arguments bound once, in an {@link OpContext}, and run
 * many times. Binding once is what makes tiny networks fast: the per-call cost of building an
 * operation dominates their epochs (the bench prints both costs for a small matmul).
 */
final class NativeCall implements AutoCloseable {
    private final DynamicCustomOp op;
    private final OpContext context;

    private NativeCall(String name, INDArray[] inputs, INDArray[] outputs, double[] tArgs, long[] iArgs) {
        this.op = DynamicCustomOp.builder(name).build();
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
        Nd4j.getExecutioner().exec(op, context);
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
