package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.LossKind;

/**
 * A forward pass, loss and backward pass for one batch size, prepared once: every buffer allocated
 * and every libnd4j operation bound to its arrays when the pass is built, then run batch after
 * batch. One forward pass gives both the batch's loss and its output (Keras's per-batch loss and
 * accuracy); the backward pass reuses it. What the layers do is each pass's own
 * ({@link BatchPass} for Dense networks, {@link ConvPass} for image networks); the output layer's
 * activation, the loss and its gradient are bound here, once for both.
 */
abstract class PreparedPass implements EpochLoop.Prepared, AutoCloseable {
    static final DataType DTYPE = DataType.FLOAT;

    final int rows;
    private final char order;
    private final List<NativeCall> forward = new ArrayList<>();
    private final List<NativeCall> backward = new ArrayList<>();
    private final List<INDArray> owned = new ArrayList<>();
    private final INDArray score = NativeOps.scalar();
    private INDArray logits;
    private INDArray output;
    private NativeCall outputActivation;
    private NativeCall loss;
    private boolean lossOnLogits;

    /** @param order the buffers' layout: {@code 'c'} row by row, {@code 'f'} column by column */
    PreparedPass(int rows, char order) {
        this.rows = rows;
        this.order = order;
    }

    /** A buffer of this pass, freed when it closes. */
    final INDArray buffer(long... shape) {
        INDArray buffer = Nd4j.create(DTYPE, shape, order);
        owned.add(buffer);
        return buffer;
    }

    final void forward(NativeCall call) {
        forward.add(call);
    }

    /** Runs {@code call} before the rest of the forward pass each time (to gather a batch's rows). */
    final void addBefore(NativeCall call) {
        forward.add(0, call);
    }

    final void backward(NativeCall call) {
        backward.add(call);
    }

    /**
     * Binds what follows the last layer: its activation and, with a loss, the batch's mean loss and,
     * while training, the loss's gradient. Cross-entropy ops take logits; the others take the
     * activated output.
     *
     * @param logits   the output layer's values before its activation
     * @param lossKind the loss, or null for a pass that only predicts
     * @param labels   the batch's labels, as {@code logits} is shaped (unused without a loss)
     * @return dL/d(logits) that the backward pass starts from, or null when it has no backward pass
     */
    final INDArray bindOutput(INDArray logits, Activation activation, LossKind lossKind, INDArray labels,
                              boolean training) {
        this.logits = logits;
        output = activation == Activation.LINEAR ? logits : buffer(logits.shape());
        outputActivation = activation == Activation.LINEAR ? null : NativeOps.activation(activation, logits, output);
        if (lossKind == null) {
            return null;
        }
        boolean binary = logits.size(1) == 1;
        INDArray weight = Nd4j.scalar(DTYPE, 1f);
        lossOnLogits = lossKind == LossKind.CROSSENTROPY || activation == Activation.LINEAR;
        INDArray lossInput = lossOnLogits ? logits : output;
        loss = NativeOps.loss(lossKind, binary, lossInput, weight, labels, score);
        if (!training) {
            return null;
        }
        INDArray epsilon = buffer(logits.shape());
        if (lossOnLogits) {
            backward(NativeOps.lossGradient(lossKind, binary, lossInput, weight, labels, epsilon));
        } else {
            INDArray dLossdOutput = buffer(logits.shape());
            backward(NativeOps.lossGradient(lossKind, binary, lossInput, weight, labels, dLossdOutput));
            backward(NativeOps.activationBackprop(activation, logits, dLossdOutput, epsilon));
        }
        return epsilon;
    }

    /** Runs forward and the loss; returns the batch's mean loss. */
    @Override
    public final double forwardAndLoss() {
        forward.forEach(NativeCall::run);
        if (!lossOnLogits && outputActivation != null) {
            outputActivation.run();
        }
        loss.run();
        return score.getDouble(0);
    }

    /** Fills the gradient the pass was built with, from the last forward pass. */
    @Override
    public final void backward() {
        backward.forEach(NativeCall::run);
    }

    /** Runs forward and the output activation; returns the outputs, in the buffers' layout. */
    final float[] predict() {
        forward.forEach(NativeCall::run);
        if (outputActivation != null) {
            outputActivation.run();
        }
        return output.data().asFloat();
    }

    @Override
    public final int rows() {
        return rows;
    }

    /** The output layer's values before its activation, from the last forward pass, copied out in one piece. */
    @Override
    public final float[] scores() {
        return logits.data().asFloat();
    }

    /** Value (row r, unit u) is at {@code u * rows + r} when true, at {@code r * units + u} otherwise. */
    @Override
    public final boolean columnMajor() {
        return order == 'f';
    }

    @Override
    public void close() {
        forward.forEach(NativeCall::close);
        backward.forEach(NativeCall::close);
        if (outputActivation != null) {
            outputActivation.close();
        }
        if (loss != null) {
            loss.close();
        }
        // at once: left to the garbage collector, the buffers of a batch of images could stay for long
        for (INDArray buffer : owned) {
            if (buffer.closeable()) {
                buffer.close();
            }
        }
        owned.clear();
    }
}
