package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LayerType;
import sinapsis.model.LossKind;
import sinapsis.training.nd4j.ConvNetwork.LayerParameters;
import sinapsis.training.nd4j.ConvNetwork.Stage;

/**
 * Forward pass, loss and backward pass of a {@link ConvNetwork} for one batch size, prepared once
 * as {@link BatchPass} is for Dense networks: every buffer allocated and every libnd4j operation
 * bound to its arrays when the pass is built, then run batch after batch. One forward pass gives
 * both the batch's loss and its output (Keras's per-batch loss and accuracy), the backward pass
 * reuses it. Buffers are NHWC, row-major; Flatten is a view. A pass without a gradient runs
 * dropout as the identity; a training pass multiplies by masks its caller fills per batch. In a
 * training pass, a first convolution over one-channel images is the product of its image windows
 * ({@code im2col}) and its kernel ({@code xw_plus_b}): that product's backward op gives the
 * kernel's gradient without the images' own, which {@code conv2d_bp} would also compute and nothing
 * needs (oneDNN is slow at it on one channel).
 */
final class ConvPass implements EpochLoop.Prepared, AutoCloseable {
    /** A dropout layer's mask, shaped as the layer's input, and its rate. */
    record DropoutMask(INDArray values, double rate) {
    }

    final int rows;
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
        boolean training = gradient != null;
        List<Stage> stages = network.stages();
        int count = stages.size();
        INDArray[] inputs = new INDArray[count];
        INDArray[] preActivations = new INDArray[count];
        INDArray[] stageMasks = new INDArray[count];
        images = buffer(shape(network.input()));
        int first = 0;
        while (!stages.get(first).hasParameters()) {
            first++; // nothing before the first layer with parameters needs a gradient
        }
        INDArray firstPatches = null;
        INDArray current = images;
        for (int s = 0; s < count; s++) {
            Stage stage = stages.get(s);
            inputs[s] = current;
            INDArray z = switch (stage.layer().type()) {
                case CONV2D -> {
                    INDArray out = buffer(shape(stage.out()));
                    LayerParameters p = network.layer(stage.parameters());
                    if (training && s == first && stage.in().channels() == 1) {
                        firstPatches = patches(stage, current);
                        forward.add(NativeOps.dense(firstPatches, kernelMatrix(p.weights()), p.biases(),
                                out.reshape('c', firstPatches.rows(), stage.layer().filters())));
                    } else {
                        forward.add(NativeOps.conv2d(stage.layer(), current, p.weights(), p.biases(), out));
                    }
                    yield out;
                }
                case MAXPOOL2D -> {
                    INDArray out = buffer(shape(stage.out()));
                    forward.add(NativeOps.maxPool2d(stage.layer(), current, out));
                    yield out;
                }
                case FLATTEN -> current.reshape('c', rows, stage.out().size());
                case DROPOUT -> {
                    if (!training) {
                        yield current;
                    }
                    INDArray mask = buffer(current.shape());
                    INDArray out = buffer(current.shape());
                    masks.add(new DropoutMask(mask, stage.layer().rate()));
                    stageMasks[s] = mask;
                    forward.add(NativeOps.multiply(current, mask, out));
                    yield out;
                }
                case DENSE -> {
                    INDArray out = buffer(rows, stage.out().size());
                    LayerParameters p = network.layer(stage.parameters());
                    forward.add(NativeOps.dense(current, p.weights(), p.biases(), out));
                    yield out;
                }
            };
            preActivations[s] = z;
            if (s < count - 1 && stage.activation() != Activation.LINEAR) {
                current = buffer(z.shape());
                forward.add(NativeOps.activation(stage.activation(), z, current));
            } else {
                current = z;
            }
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
            backward.add(NativeOps.lossGradient(lossKind, binary, lossInput, weight, labels, epsilon));
        } else {
            INDArray dLossdOutput = buffer(logits.shape());
            backward.add(NativeOps.lossGradient(lossKind, binary, lossInput, weight, labels, dLossdOutput));
            backward.add(NativeOps.activationBackprop(outputKind, logits, dLossdOutput, epsilon));
        }
        for (int s = count - 1; s >= first; s--) {
            Stage stage = stages.get(s);
            INDArray in = inputs[s];
            if (s < count - 1 && stage.activation() != Activation.LINEAR) {
                INDArray gradZ = buffer(preActivations[s].shape());
                backward.add(NativeOps.activationBackprop(stage.activation(), preActivations[s], epsilon, gradZ));
                epsilon = gradZ;
            }
            INDArray gradIn = stage.layer().type() == LayerType.FLATTEN
                    ? epsilon.reshape('c', in.shape()) : buffer(in.shape());
            switch (stage.layer().type()) {
                case CONV2D -> {
                    LayerParameters p = network.layer(stage.parameters());
                    LayerParameters g = gradient.get(stage.parameters());
                    if (s == first && firstPatches != null) {
                        backward.add(NativeOps.denseBackprop(firstPatches, kernelMatrix(p.weights()), p.biases(),
                                epsilon.reshape('c', firstPatches.rows(), stage.layer().filters()),
                                buffer(firstPatches.shape()), kernelMatrix(g.weights()), g.biases()));
                    } else {
                        backward.add(NativeOps.conv2dBackprop(stage.layer(), in, p.weights(), p.biases(), epsilon,
                                gradIn, g.weights(), g.biases()));
                    }
                }
                case DENSE -> {
                    LayerParameters p = network.layer(stage.parameters());
                    LayerParameters g = gradient.get(stage.parameters());
                    backward.add(NativeOps.denseBackprop(in, p.weights(), p.biases(), epsilon, gradIn, g.weights(),
                            g.biases()));
                }
                case MAXPOOL2D -> backward.add(NativeOps.maxPool2dBackprop(stage.layer(), in, epsilon, gradIn));
                case DROPOUT -> backward.add(NativeOps.multiplyBackprop(in, stageMasks[s], epsilon, gradIn,
                        buffer(in.shape())));
                case FLATTEN -> {
                    // a view: the gradient is the next layer's, reshaped
                }
            }
            epsilon = gradIn;
        }
    }

    /**
     * The windows a one-channel convolution sees, one row of {@code k × k} pixels per output
     * position ({@code [rows · outH · outW, k · k]}, the kernel's row order): libnd4j's
     * {@code im2col} on the images read as NCHW (the same memory for one channel), then reordered.
     */
    private INDArray patches(Stage stage, INDArray images) {
        int k = stage.layer().kernel();
        InputShape in = stage.in();
        InputShape out = stage.out();
        INDArray columns = buffer(rows, 1, k, k, out.height(), out.width());
        INDArray patches = buffer(rows, out.height(), out.width(), 1, k, k);
        forward.add(NativeOps.im2col(stage.layer(), images.reshape('c', rows, 1, in.height(), in.width()), columns));
        forward.add(NativeOps.permute(columns, patches, 0, 4, 5, 1, 2, 3));
        return patches.reshape('c', (long) rows * out.height() * out.width(), (long) k * k);
    }

    /** A {@code [k, k, 1, filters]} kernel as the {@code [k · k, filters]} matrix the patches multiply. */
    private static INDArray kernelMatrix(INDArray kernel) {
        return kernel.reshape('c', kernel.size(0) * kernel.size(1) * kernel.size(2), kernel.size(3));
    }

    private long[] shape(InputShape example) {
        return example.isImage()
                ? new long[] {rows, example.height(), example.width(), example.channels()}
                : new long[] {rows, example.size()};
    }

    private INDArray buffer(long... shape) {
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
