package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LossKind;
import sinapsis.training.nd4j.ConvNetwork.LayerParameters;
import sinapsis.training.nd4j.ConvNetwork.Stage;

/**
 * Forward pass, loss and backward pass of a {@link ConvNetwork} for one batch size, prepared once
 * as {@link BatchPass} is for Dense networks: every buffer allocated and every libnd4j operation
 * bound to its arrays when the pass is built, then run batch after batch. One forward pass gives
 * both the batch's loss and its output (Keras's per-batch loss and accuracy), the backward pass
 * reuses it. Buffers are NHWC, row-major; Flatten is a view. A pass without a gradient runs
 * dropout as the identity; a training pass multiplies by masks its caller fills per batch. Each layer
 * kind binds its own operations ({@link LayerStep}); this class adds the activations, the loss and
 * the order.
 */
final class ConvPass implements EpochLoop.Prepared, AutoCloseable {
    /** A dropout layer's mask, shaped as the layer's input, and its rate. */
    record DropoutMask(INDArray values, double rate) {
    }

    final int rows;
    final boolean training;
    private final INDArray images;
    private final INDArray labels;
    private final List<DropoutMask> masks = new ArrayList<>();
    private final INDArray logits;
    private final INDArray output;
    private final INDArray score = NativeOps.scalar();
    private final List<NativeCall> forward = new ArrayList<>();
    private final NativeCall outputActivation;
    private final NativeCall loss;
    private final boolean lossOnLogits;
    private final List<NativeCall> backward = new ArrayList<>();
    private final List<INDArray> buffers = new ArrayList<>();

    /**
     * @param lossKind the loss to measure, or null for a pass that only predicts
     * @param gradient views of the flat gradient ({@link ConvNetwork#views}) that {@link #backward}
     *                 fills, or null for a pass without backward
     */
    ConvPass(ConvNetwork network, int rows, LossKind lossKind, List<LayerParameters> gradient) {
        this.rows = rows;
        this.training = gradient != null;
        List<Stage> stages = network.stages();
        int count = stages.size();
        int first = 0;
        while (!stages.get(first).hasParameters()) {
            first++; // nothing before the first layer with parameters needs a gradient
        }
        LayerStep[] steps = new LayerStep[count];
        INDArray[] inputs = new INDArray[count];
        INDArray[] preActivations = new INDArray[count];
        images = buffer(shape(network.input()));
        INDArray current = images;
        for (int s = 0; s < count; s++) {
            Stage stage = stages.get(s);
            boolean byPatches = training && s == first && stage.in().channels() == 1;
            steps[s] = LayerStep.of(stage, stage.hasParameters() ? network.layer(stage.parameters()) : null,
                    training && stage.hasParameters() ? gradient.get(stage.parameters()) : null, byPatches);
            inputs[s] = current;
            preActivations[s] = steps[s].forward(this, current);
            current = activated(stage, s < count - 1, preActivations[s]);
        }
        logits = preActivations[count - 1];
        Activation outputKind = network.outputActivation();
        output = outputKind == Activation.LINEAR ? logits : buffer(logits.shape());
        outputActivation = outputKind == Activation.LINEAR ? null
                : NativeOps.activation(outputKind, logits, output);
        if (lossKind == null) {
            labels = null;
            loss = null;
            lossOnLogits = false;
            return;
        }
        labels = buffer(rows, network.outputSize());
        boolean binary = network.outputSize() == 1;
        INDArray weight = Nd4j.scalar(ConvNetwork.DTYPE, 1f);
        // Cross-entropy ops take logits; the others take the activated output (as in BatchPass).
        lossOnLogits = lossKind == LossKind.CROSSENTROPY || outputKind == Activation.LINEAR;
        INDArray lossInput = lossOnLogits ? logits : output;
        loss = NativeOps.loss(lossKind, binary, lossInput, weight, labels, score);
        if (!training) {
            return;
        }
        INDArray epsilon = buffer(logits.shape());
        if (lossOnLogits) {
            backward(NativeOps.lossGradient(lossKind, binary, lossInput, weight, labels, epsilon));
        } else {
            INDArray dLossdOutput = buffer(logits.shape());
            backward(NativeOps.lossGradient(lossKind, binary, lossInput, weight, labels, dLossdOutput));
            backward(NativeOps.activationBackprop(outputKind, logits, dLossdOutput, epsilon));
        }
        for (int s = count - 1; s >= first; s--) {
            Stage stage = stages.get(s);
            if (s < count - 1 && stage.activation() != Activation.LINEAR) {
                INDArray gradZ = buffer(preActivations[s].shape());
                backward(NativeOps.activationBackprop(stage.activation(), preActivations[s], epsilon, gradZ));
                epsilon = gradZ;
            }
            epsilon = steps[s].backward(this, inputs[s], epsilon);
        }
    }

    /** A hidden layer's output after its activation (the output layer's is applied apart, see {@link #predict}). */
    private INDArray activated(Stage stage, boolean hidden, INDArray z) {
        if (!hidden || stage.activation() == Activation.LINEAR) {
            return z;
        }
        INDArray activated = buffer(z.shape());
        forward(NativeOps.activation(stage.activation(), z, activated));
        return activated;
    }

    void forward(NativeCall call) {
        forward.add(call);
    }

    void backward(NativeCall call) {
        backward.add(call);
    }

    void addMask(DropoutMask mask) {
        masks.add(mask);
    }

    long[] shape(InputShape example) {
        return example.isImage()
                ? new long[] {rows, example.height(), example.width(), example.channels()}
                : new long[] {rows, example.size()};
    }

    INDArray buffer(long... shape) {
        INDArray buffer = Nd4j.create(ConvNetwork.DTYPE, shape, 'c');
        buffers.add(buffer);
        return buffer;
    }

    /** Sets the batch: images row after row (height, width, channels), labels row after row. */
    void fill(float[] batchImages, float[] batchLabels) {
        images.data().setData(batchImages);
        if (batchLabels != null) {
            labels.data().setData(batchLabels);
        }
    }

    /** The dropout masks of a training pass, in layer order: their values are set per batch. */
    List<DropoutMask> masks() {
        return masks;
    }

    /** Runs forward and the loss; returns the batch's mean loss. */
    @Override
    public double forwardAndLoss() {
        forward.forEach(NativeCall::run);
        if (!lossOnLogits && outputActivation != null) {
            outputActivation.run();
        }
        loss.run();
        return score.getDouble(0);
    }

    /** Fills the gradient views passed at construction, from the last forward pass. */
    @Override
    public void backward() {
        backward.forEach(NativeCall::run);
    }

    /** The output layer's pre-activation of the last forward pass, row after row. */
    @Override
    public int rows() {
        return rows;
    }

    @Override
    public float[] scores() {
        return logits();
    }

    @Override
    public boolean columnMajor() {
        return false;
    }

    float[] logits() {
        return logits.data().asFloat();
    }

    /** Runs forward and the output activation; returns the outputs row after row. */
    float[] predict() {
        forward.forEach(NativeCall::run);
        if (outputActivation != null) {
            outputActivation.run();
        }
        return output.data().asFloat();
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
        // a batch of images holds megabytes off the heap: free them now, not when the collector runs
        for (INDArray buffer : buffers) {
            if (buffer.closeable()) {
                buffer.close();
            }
        }
    }
}
