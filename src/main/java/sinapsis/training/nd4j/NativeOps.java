package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.OptimizerKind;
import sinapsis.model.Padding;

/**
 * The libnd4j operations the networks train with, by name: matrix products, convolutions and
 * poolings, activations and their backward ops, losses and their gradient ops, and the updaters.
 * Each returns a prepared {@link NativeCall}; no derivative is computed here, only wired.
 */
final class NativeOps {
    /** libnd4j's loss reduction "mean by weight": with a weight of 1, the mean over all elements. */
    private static final long MEAN = 2;
    /** libnd4j's data-format argument for images stored height, width, channels. */
    private static final long NHWC = 1;

    private NativeOps() {
    }

    /** out = alpha · op(a) · op(b) */
    static NativeCall matmul(INDArray a, INDArray b, INDArray out, boolean transposeA, boolean transposeB) {
        return NativeCall.of("matmul").in(a, b).out(out).t(1.0, 0.0)
                .i(transposeA ? 1 : 0, transposeB ? 1 : 0, 0).build();
    }

    /** out = f(in), or null for the identity (the caller then uses {@code in}). */
    static NativeCall activation(Activation f, INDArray in, INDArray out) {
        return switch (f) {
            case LINEAR -> NativeCall.of("identity").in(in).out(out).build();
            case RELU -> NativeCall.of("relu").in(in).out(out).t(0.0).build();
            case LEAKY_RELU -> NativeCall.of("lrelu").in(in).out(out).t(Nd4jMapping.LEAKY_RELU_ALPHA).build();
            case TANH -> NativeCall.of("tanh").in(in).out(out).build();
            case SIGMOID -> NativeCall.of("sigmoid").in(in).out(out).build();
            case SOFTMAX -> NativeCall.of("softmax").in(in).out(out).i(in.rank() - 1).build();
        };
    }

    /** out = dL/d(in) given epsilon = dL/d(f(in)). */
    static NativeCall activationBackprop(Activation f, INDArray in, INDArray epsilon, INDArray out) {
        return switch (f) {
            case LINEAR -> NativeCall.of("identity").in(epsilon).out(out).build();
            case RELU -> NativeCall.of("relu_bp").in(in, epsilon).out(out).t(0.0).build();
            case LEAKY_RELU -> NativeCall.of("lrelu_bp").in(in, epsilon).out(out)
                    .t(Nd4jMapping.LEAKY_RELU_ALPHA).build();
            case TANH -> NativeCall.of("tanh_bp").in(in, epsilon).out(out).build();
            case SIGMOID -> NativeCall.of("sigmoid_bp").in(in, epsilon).out(out).build();
            case SOFTMAX -> NativeCall.of("softmax_bp").in(in, epsilon).out(out).i(in.rank() - 1).build();
        };
    }

    /** out = in · weights + biases, for a batch of rows */
    static NativeCall dense(INDArray in, INDArray weights, INDArray biases, INDArray out) {
        return NativeCall.of("xw_plus_b").in(in, weights, biases).out(out).build();
    }

    /** The gradients of {@link #dense} given epsilon = dL/d(out). */
    static NativeCall denseBackprop(INDArray in, INDArray weights, INDArray biases, INDArray epsilon,
                                    INDArray gradIn, INDArray gradWeights, INDArray gradBiases) {
        return NativeCall.of("xw_plus_b_bp").in(in, weights, biases, epsilon).out(gradIn, gradWeights, gradBiases)
                .build();
    }

    /** out = in + biases, the biases added to each row (to each position's channels for NHWC images). */
    static NativeCall biasAdd(INDArray in, INDArray biases, INDArray out) {
        return NativeCall.of("biasadd").in(in, biases).out(out).build();
    }

    /** The gradients of {@link #biasAdd} given epsilon = dL/d(out): dL/d(in) (epsilon itself) and dL/d(biases). */
    static NativeCall biasAddBackprop(INDArray in, INDArray biases, INDArray epsilon, INDArray gradIn,
                                      INDArray gradBiases) {
        return NativeCall.of("biasadd_bp").in(in, biases, epsilon).out(gradIn, gradBiases).build();
    }

    /** The gradients of {@code a · b} (no transposes) given epsilon = dL/d(a · b). */
    static NativeCall matmulBackprop(INDArray a, INDArray b, INDArray epsilon, INDArray gradA, INDArray gradB) {
        return NativeCall.of("matmul_bp").in(a, b, epsilon).out(gradA, gradB).i(0, 0, 0).build();
    }

    /** A convolution of NHWC images with a {@code [k, k, in, filters]} kernel, plus biases. */
    static NativeCall conv2d(LayerSpec.Conv2d layer, INDArray in, INDArray kernel, INDArray biases, INDArray out) {
        return NativeCall.of("conv2d").in(in, kernel, biases).out(out).i(convolution(layer)).build();
    }

    /** The gradients of {@link #conv2d} given epsilon = dL/d(out). */
    static NativeCall conv2dBackprop(LayerSpec.Conv2d layer, INDArray in, INDArray kernel, INDArray biases, INDArray epsilon,
                                     INDArray gradIn, INDArray gradKernel, INDArray gradBiases) {
        return NativeCall.of("conv2d_bp").in(in, kernel, biases, epsilon).out(gradIn, gradKernel, gradBiases)
                .i(convolution(layer)).build();
    }

    /** The windows of a convolution over NCHW images, {@code [n, channels, k, k, outH, outW]}. */
    static NativeCall im2col(LayerSpec.Conv2d layer, INDArray in, INDArray columns) {
        return NativeCall.of("im2col").in(in).out(columns).t(0.0).i(layer.kernel(), layer.kernel(), layer.stride(),
                layer.stride(), 0, 0, 1, 1, layer.padding() == Padding.SAME ? 1 : 0).build();
    }

    /** out = in with its axes reordered: out's axis i is in's axis {@code axes[i]}. */
    static NativeCall permute(INDArray in, INDArray out, long... axes) {
        return NativeCall.of("permute").in(in).out(out).i(axes).build();
    }

    /** out = in, any strides to row-major (a view's values gathered into a buffer). */
    static NativeCall copy(INDArray in, INDArray out) {
        return NativeCall.of("identity").in(in).out(out).build();
    }

    /** Max pooling of NHWC images. */
    static NativeCall maxPool2d(LayerSpec.MaxPool2d layer, INDArray in, INDArray out) {
        return NativeCall.of("maxpool2d").in(in).out(out).i(pooling(layer)).build();
    }

    /** The gradient of {@link #maxPool2d} given epsilon = dL/d(out). */
    static NativeCall maxPool2dBackprop(LayerSpec.MaxPool2d layer, INDArray in, INDArray epsilon, INDArray gradIn) {
        return NativeCall.of("maxpool2d_bp").in(in, epsilon).out(gradIn).i(pooling(layer)).build();
    }

    /** libnd4j's convolution arguments: kernel, stride, padding 0, dilation 1, same mode, NHWC, [k, k, in, out] */
    private static long[] convolution(LayerSpec.Conv2d layer) {
        return new long[] {layer.kernel(), layer.kernel(), layer.stride(), layer.stride(), 0, 0, 1, 1,
            layer.padding() == Padding.SAME ? 1 : 0, NHWC, 0};
    }

    /** libnd4j's pooling arguments: window, stride, padding 0, dilation 1, same mode, unused, NHWC. */
    private static long[] pooling(LayerSpec.MaxPool2d layer) {
        return new long[] {layer.size(), layer.size(), layer.stride(), layer.stride(), 0, 0, 1, 1,
            layer.padding() == Padding.SAME ? 1 : 0, 0, NHWC};
    }

    /** out = a ⊙ b, element by element */
    static NativeCall multiply(INDArray a, INDArray b, INDArray out) {
        return NativeCall.of("multiply").in(a, b).out(out).build();
    }

    /** out = a + b, element by element */
    static NativeCall add(INDArray a, INDArray b, INDArray out) {
        return NativeCall.of("add").in(a, b).out(out).build();
    }

    /** The gradients of {@link #multiply} given epsilon = dL/d(out). */
    static NativeCall multiplyBackprop(INDArray a, INDArray b, INDArray epsilon, INDArray gradA, INDArray gradB) {
        return NativeCall.of("multiply_bp").in(a, b, epsilon).out(gradA, gradB).build();
    }

    /**
     * The loss of a batch as a scalar: the mean over rows of the per-row loss (for regression the
     * mean over outputs), as Keras and DL4J report it. Cross-entropy takes logits, others predictions.
     */
    static NativeCall loss(LossKind loss, boolean binary, INDArray input, INDArray weight, INDArray labels,
                           INDArray score) {
        return lossCall(loss, binary, false).in(input, weight, labels).out(score).build();
    }

    /** dLoss/dInput for the same loss, already divided as the mean requires. */
    static NativeCall lossGradient(LossKind loss, boolean binary, INDArray input, INDArray weight, INDArray labels,
                                   INDArray gradient) {
        return lossCall(loss, binary, true).in(input, weight, labels)
                .out(gradient, weight.ulike(), labels.ulike()).build();
    }

    private static NativeCall.Builder lossCall(LossKind loss, boolean binary, boolean gradient) {
        String suffix = gradient ? "_grad" : "";
        return switch (loss) {
            case MSE -> NativeCall.of("mean_sqerr_loss" + suffix).i(MEAN);
            case MAE -> NativeCall.of("absolute_difference_loss" + suffix).i(MEAN);
            case HUBER -> NativeCall.of("huber_loss" + suffix).t(Nd4jMapping.HUBER_DELTA).i(MEAN);
            case CROSSENTROPY -> binary
                    ? NativeCall.of("sigm_cross_entropy_loss" + suffix).t(0.0).i(MEAN)
                    : NativeCall.of("softmax_cross_entropy_loss" + suffix).t(0.0).i(MEAN);
        };
    }

    /** An updater step: turns {@code gradient} into the update, in place, keeping its state in {@code state}. */
    static NativeCall updater(OptimizerKind optimizer, double learningRate, INDArray gradient, INDArray[] state) {
        return switch (optimizer) {
            case SGD -> NativeCall.of("sgd_updater").in(gradient).out(gradient).t(learningRate).build();
            case MOMENTUM -> NativeCall.of("nesterovs_updater").in(gradient, state[0]).out(gradient, state[0])
                    .t(learningRate, 0.9).build();
            case ADAM -> NativeCall.of("adam_updater").in(gradient, state[0], state[1])
                    .out(gradient, state[0], state[1]).t(learningRate, 0.9, 0.999, 1e-8).i(0).build();
            case RMSPROP -> NativeCall.of("rms_prop_updater").in(gradient, state[0]).out(gradient, state[0])
                    .t(learningRate, 0.9, 1e-8).build();
        };
    }

    static int updaterStateArrays(OptimizerKind optimizer) {
        return switch (optimizer) {
            case SGD -> 0;
            case MOMENTUM, RMSPROP -> 1;
            case ADAM -> 2;
        };
    }

    /** params ← params − update */
    static NativeCall subtractInPlace(INDArray params, INDArray update) {
        return NativeCall.of("subtract").in(params, update).out(params).build();
    }

    /** out ← rows {@code indices} of {@code source} */
    static NativeCall gatherRows(INDArray source, INDArray indices, INDArray out) {
        return NativeCall.of("gather").in(source, indices).out(out).i(0).build();
    }

    static INDArray scalar() {
        return Nd4j.scalar(DenseNetwork.DTYPE, 0f);
    }
}
