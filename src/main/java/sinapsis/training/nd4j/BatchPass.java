package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import sinapsis.model.Activation;
import sinapsis.model.LossKind;

/**
 * Forward pass, loss and backward pass for one batch size, prepared once: every buffer is
 * allocated and every operation bound to its arrays when the pass is built, then run each epoch.
 * Layer inputs carry an extra column of ones so that one product applies weights and biases
 * (see {@link DenseNetwork}); buffers are column-major so the other columns stay contiguous.
 */
final class BatchPass implements EpochLoop.Prepared, AutoCloseable {
    final int rows;
    final INDArray inputs;
    final INDArray labels;
    private final INDArray score = NativeOps.scalar();
    private final INDArray outputPreActivation;
    private final List<NativeCall> forward = new ArrayList<>();
    private final List<NativeCall> backward = new ArrayList<>();
    private final NativeCall loss;
    /** The buffers this pass allocated, freed when it closes (not the inputs and labels it was given). */
    private final List<INDArray> owned = new ArrayList<>();

    /**
     * @param inputs   rows × (inputs + 1), last column ones; null to allocate (filled by the caller)
     * @param labels   rows × outputs; null to allocate
     * @param gradient the flat gradient's per-layer views, or null for a pass without backward (validation)
     */
    BatchPass(DenseNetwork network, LossKind lossKind, int rows, INDArray inputs, INDArray labels,
              INDArray[] gradient) {
        this.rows = rows;
        int layers = network.layerCount();
        this.inputs = inputs != null ? inputs : buffer(rows, network.size(0) + 1);
        this.labels = labels != null ? labels : buffer(rows, network.outputSize());
        INDArray[] layerInputs = new INDArray[layers];
        INDArray[] preOutputs = new INDArray[layers];
        layerInputs[0] = this.inputs;
        for (int l = 0; l < layers; l++) {
            preOutputs[l] = buffer(rows, network.size(l + 1));
            forward.add(NativeOps.matmul(layerInputs[l], network.layer(l), preOutputs[l], false, false));
            if (l + 1 < layers) {
                layerInputs[l + 1] = buffer(rows, network.size(l + 1) + 1);
                layerInputs[l + 1].getColumn(network.size(l + 1)).assign(1);
                INDArray activated = layerInputs[l + 1].get(NDArrayIndex.all(),
                        NDArrayIndex.interval(0, network.size(l + 1)));
                forward.add(NativeOps.activation(network.activationKind(l), preOutputs[l], activated));
            }
        }
        this.outputPreActivation = preOutputs[layers - 1];

        Activation outputActivation = network.activationKind(layers - 1);
        boolean binary = network.outputSize() == 1;
        INDArray weight = Nd4j.scalar(DenseNetwork.DTYPE, 1f);
        // Cross-entropy ops take logits; the others take the activated output.
        boolean onLogits = lossKind == LossKind.CROSSENTROPY || outputActivation == Activation.LINEAR;
        INDArray lossInput = outputPreActivation;
        if (!onLogits) {
            lossInput = buffer(rows, network.outputSize());
            forward.add(NativeOps.activation(outputActivation, outputPreActivation, lossInput));
        }
        this.loss = NativeOps.loss(lossKind, binary, lossInput, weight, this.labels, score);
        if (gradient == null) {
            return;
        }
        INDArray delta = buffer(rows, network.outputSize());
        if (onLogits) {
            backward.add(NativeOps.lossGradient(lossKind, binary, lossInput, weight, this.labels, delta));
        } else {
            INDArray dLossdOutput = buffer(rows, network.outputSize());
            backward.add(NativeOps.lossGradient(lossKind, binary, lossInput, weight, this.labels, dLossdOutput));
            backward.add(NativeOps.activationBackprop(outputActivation, outputPreActivation, dLossdOutput, delta));
        }
        for (int l = layers - 1; l >= 0; l--) {
            backward.add(NativeOps.matmul(layerInputs[l], delta, gradient[l], true, false));
            if (l > 0) {
                INDArray error = buffer(rows, network.size(l));
                INDArray previousDelta = buffer(rows, network.size(l));
                backward.add(NativeOps.matmul(delta, network.weightsOnly(l), error, false, true));
                backward.add(NativeOps.activationBackprop(network.activationKind(l - 1), preOutputs[l - 1], error,
                        previousDelta));
                delta = previousDelta;
            }
        }
    }

    private INDArray buffer(long rows, long columns) {
        INDArray buffer = Nd4j.create(DenseNetwork.DTYPE, new long[] {rows, columns}, 'f');
        owned.add(buffer);
        return buffer;
    }

    /** Runs {@code call} before the forward pass each time (to gather a batch's rows). */
    void addBefore(NativeCall call) {
        forward.add(0, call);
    }

    /** Runs forward and the loss; returns the batch's mean loss. */
    @Override
    public double forwardAndLoss() {
        forward.forEach(NativeCall::run);
        loss.run();
        return score.getDouble(0);
    }

    /** Fills the gradient views passed at construction, from the last forward pass. */
    @Override
    public void backward() {
        backward.forEach(NativeCall::run);
    }

    /**
     * The output layer's pre-activation of the last forward pass, copied out in one piece: column
     * major, so value (row r, unit u) is at {@code u * rows + r}.
     */
    @Override
    public int rows() {
        return rows;
    }

    @Override
    public float[] scores() {
        return outputPreActivation();
    }

    /** Buffers are column-major (see the class comment). */
    @Override
    public boolean columnMajor() {
        return true;
    }

    float[] outputPreActivation() {
        return outputPreActivation.data().asFloat();
    }

    @Override
    public void close() {
        forward.forEach(NativeCall::close);
        backward.forEach(NativeCall::close);
        loss.close();
        owned.forEach(INDArray::close); // at once: left to the garbage collector, gigabytes could stay
        owned.clear();
    }
}
