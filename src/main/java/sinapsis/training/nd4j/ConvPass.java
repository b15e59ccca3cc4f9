package sinapsis.training.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LossKind;
import sinapsis.training.nd4j.ConvNetwork.LayerParameters;
import sinapsis.training.nd4j.ConvNetwork.Stage;

/**
 * An image network's {@link PreparedPass}: each layer kind binds its own operations
 * ({@link LayerStep}); this class adds the activations between them and their order. Buffers are
 * NHWC, row-major; Flatten is a view. A pass without a gradient runs dropout as the identity; a
 * training pass multiplies by masks its caller fills per batch.
 */
final class ConvPass extends PreparedPass {
    /** A dropout layer's mask, shaped as the layer's input, and its rate. */
    record DropoutMask(INDArray values, double rate) {
    }

    final boolean training;
    private final INDArray images;
    private final INDArray labels;
    private final List<DropoutMask> masks = new ArrayList<>();
    /** Each layer's output as the next layer takes it (after its activation; the last one before). */
    private final INDArray[] outputs;


    /**
     * @param lossKind the loss to measure, or null for a pass that only predicts
     * @param gradient views of the flat gradient ({@link ConvNetwork#views}) that {@link #backward}
     *                 fills, or null for a pass without backward
     */
    ConvPass(ConvNetwork network, int rows, LossKind lossKind, List<LayerParameters> gradient) {
        super(rows, 'c');
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
        outputs = new INDArray[count];
        for (int s = 0; s < count; s++) {
            Stage stage = stages.get(s);
            boolean byPatches = training && s == first && stage.in().channels() == 1;
            steps[s] = LayerStep.of(stage, stage.hasParameters() ? network.layer(stage.parameters()) : null,
                    training && stage.hasParameters() ? gradient.get(stage.parameters()) : null, byPatches);
            inputs[s] = current;
            preActivations[s] = steps[s].forward(this, current);
            current = activated(stage, s < count - 1, preActivations[s]);
            outputs[s] = current;
        }
        labels = lossKind == null ? null : buffer(rows, network.outputSize());
        INDArray epsilon = bindOutput(preActivations[count - 1], network.outputActivation(), lossKind, labels,
                training);
        if (epsilon == null) {
            return;
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

    /** Layer {@code s}'s output after the last forward pass, as the next layer takes it (NHWC for image layers). */
    INDArray output(int s) {
        return outputs[s];
    }

    void addMask(DropoutMask mask) {
        masks.add(mask);
    }

    long[] shape(InputShape example) {
        return example.isImage()
                ? new long[] {rows, example.height(), example.width(), example.channels()}
                : new long[] {rows, example.size()};
    }

    /** Sets the batch: images row after row (height, width, channels), labels row after row. */
    void fill(float[] batchImages, float[] batchLabels) {
        copyInto(images, batchImages);
        if (batchLabels != null) {
            copyInto(labels, batchLabels);
        }
    }

    /**
     * Copies {@code values} into a buffer of this pass in one native copy: ND4J's
     * {@code DataBuffer.setData} goes value by value (35 µs for a part's 16 images here, against 1 µs).
     */
    static void copyInto(INDArray buffer, float[] values) {
        if (values.length != buffer.length() || buffer.dataType() != DTYPE) {
            throw new IllegalArgumentException(values.length + " values for a " + buffer.dataType() + " buffer of "
                    + buffer.length());
        }
        ((FloatPointer) buffer.data().addressPointer()).put(values, 0, values.length);
    }

    /** The dropout masks of a training pass, in layer order: their values are set per batch. */
    List<DropoutMask> masks() {
        return masks;
    }
}
