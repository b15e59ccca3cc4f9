package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.InputShape;
import sinapsis.model.LayerSpec;
import sinapsis.model.Padding;
import sinapsis.training.nd4j.ConvNetwork.LayerParameters;
import sinapsis.training.nd4j.ConvNetwork.Stage;

/**
 * How one layer runs in a prepared {@link ConvPass}: each kind binds its own forward and backward
 * libnd4j operations to the pass's buffers, once, when the pass is built. The activation after a
 * layer is the pass's (see {@link Stage#activation()}); a step goes from the layer's input to its
 * output before that activation and back.
 */
abstract class LayerStep {
    final Stage stage;

    private LayerStep(Stage stage) {
        this.stage = stage;
    }

    /** Binds the forward operations reading {@code in}; returns the output (before the activation). */
    abstract INDArray forward(ConvPass pass, INDArray in);

    /**
     * Binds the backward operations: from {@code epsilon}, dL/d(output before the activation), to
     * the parameters' gradient and dL/d(in), which it returns.
     */
    abstract INDArray backward(ConvPass pass, INDArray in, INDArray epsilon);

    /**
     * The step of a stage's layer.
     *
     * @param weights  the stage's parameters, or null for a layer without
     * @param gradient the views of the gradient its backward step fills, or null
     * @param byPatches whether a convolution runs as its windows times its kernel (see {@link ConvPass})
     */
    static LayerStep of(Stage stage, LayerParameters weights, LayerParameters gradient, boolean byPatches) {
        LayerSpec layer = stage.layer();
        if (layer instanceof LayerSpec.Dense) {
            return new Dense(stage, weights, gradient);
        }
        if (layer instanceof LayerSpec.Conv2d conv) {
            return byPatches ? new ConvByPatches(stage, conv, weights, gradient)
                    : new Conv(stage, conv, weights, gradient);
        }
        if (layer instanceof LayerSpec.MaxPool2d pool) {
            return new MaxPool(stage, pool);
        }
        if (layer instanceof LayerSpec.Dropout dropout) {
            return new Dropout(stage, dropout);
        }
        return new Flatten(stage);
    }

    /** A layer with weights and biases: its parameters' views, and the gradient's its backward step fills. */
    private abstract static class WithParameters extends LayerStep {
        final LayerParameters weights;
        final LayerParameters gradient;

        WithParameters(Stage stage, LayerParameters weights, LayerParameters gradient) {
            super(stage);
            this.weights = weights;
            this.gradient = gradient;
        }
    }

    /**
     * {@code matmul} then {@code biasadd}, and their backward ops. At a Dense layer's sizes in an
     * image network (16 rows by 576 or 64 inputs) these are several times faster than
     * {@code xw_plus_b} and its backward op, which go through oneDNN's inner product and cost
     * 30–90 µs a call there (the first convolution's product, 10 816 rows of 9, keeps them).
     */
    private static final class Dense extends WithParameters {
        Dense(Stage stage, LayerParameters weights, LayerParameters gradient) {
            super(stage, weights, gradient);
        }

        @Override
        INDArray forward(ConvPass pass, INDArray in) {
            INDArray out = pass.buffer(pass.rows, stage.out().size());
            pass.forward(NativeOps.matmul(in, weights.weights(), out, false, false));
            pass.forward(NativeOps.biasAdd(out, weights.biases(), out));
            return out;
        }

        @Override
        INDArray backward(ConvPass pass, INDArray in, INDArray epsilon) {
            INDArray gradIn = pass.buffer(in.shape());
            pass.backward(NativeOps.biasAddBackprop(epsilon, weights.biases(), epsilon,
                    pass.buffer(epsilon.shape()), gradient.biases()));
            pass.backward(NativeOps.matmulBackprop(in, weights.weights(), epsilon, gradIn, gradient.weights()));
            return gradIn;
        }
    }

    /** libnd4j's NHWC {@code conv2d} and {@code conv2d_bp} (oneDNN's where it has them). */
    private static final class Conv extends WithParameters {
        private final LayerSpec.Conv2d layer;

        Conv(Stage stage, LayerSpec.Conv2d layer, LayerParameters weights, LayerParameters gradient) {
            super(stage, weights, gradient);
            this.layer = layer;
        }

        @Override
        INDArray forward(ConvPass pass, INDArray in) {
            INDArray out = pass.buffer(pass.shape(stage.out()));
            pass.forward(NativeOps.conv2d(layer, in, weights.weights(), weights.biases(), out));
            return out;
        }

        @Override
        INDArray backward(ConvPass pass, INDArray in, INDArray epsilon) {
            INDArray gradIn = pass.buffer(in.shape());
            pass.backward(NativeOps.conv2dBackprop(layer, in, weights.weights(), weights.biases(), epsilon, gradIn,
                    gradient.weights(), gradient.biases()));
            return gradIn;
        }
    }

    /**
     * A first convolution over one-channel images, while training: the product of its image windows
     * ({@code im2col}) and its kernel ({@code xw_plus_b}). That product's backward op gives the
     * kernel's gradient without the images' own, which {@code conv2d_bp} would also compute and
     * nothing needs (oneDNN is slow at it on one channel).
     */
    private static final class ConvByPatches extends WithParameters {
        private final LayerSpec.Conv2d layer;
        private INDArray patches;

        ConvByPatches(Stage stage, LayerSpec.Conv2d layer, LayerParameters weights, LayerParameters gradient) {
            super(stage, weights, gradient);
            this.layer = layer;
        }

        @Override
        INDArray forward(ConvPass pass, INDArray in) {
            patches = patches(pass, in);
            INDArray out = pass.buffer(pass.shape(stage.out()));
            pass.forward(NativeOps.dense(patches, kernelMatrix(weights.weights()), weights.biases(),
                    out.reshape('c', patches.rows(), layer.filters())));
            return out;
        }

        @Override
        INDArray backward(ConvPass pass, INDArray in, INDArray epsilon) {
            INDArray gradPatches = pass.buffer(patches.shape());
            pass.backward(NativeOps.denseBackprop(patches, kernelMatrix(weights.weights()), weights.biases(),
                    epsilon.reshape('c', patches.rows(), layer.filters()), gradPatches,
                    kernelMatrix(gradient.weights()), gradient.biases()));
            return gradPatches;
        }

        /**
         * The windows the convolution sees, one row of {@code k × k} pixels per output position
         * ({@code [rows · outH · outW, k · k]}, the kernel's row order). Without padding, a copy
         * ({@code identity}) of the windows read in place: a view of the images whose strides step
         * over positions and, overlapping, within each window — a fifth of the time of libnd4j's
         * {@code im2col} and the reordering its layout needs (106 against 508 µs for 16 images
         * here). With padding, {@code im2col} on the images read as NCHW (the same memory for one
         * channel), {@code [rows, k · k, outH · outW]}, then each image's matrix transposed.
         */
        private INDArray patches(ConvPass pass, INDArray images) {
            int k = layer.kernel();
            int stride = layer.stride();
            InputShape in = stage.in();
            InputShape out = stage.out();
            long positions = (long) out.height() * out.width();
            INDArray windows = pass.buffer(pass.rows, positions, (long) k * k);
            if (layer.padding() == Padding.VALID) {
                long width = in.width();
                INDArray inPlace = Nd4j.create(images.data(), new long[] {pass.rows, out.height(), out.width(), k, k},
                        new long[] {in.height() * width, stride * width, stride, width, 1}, images.offset(), 'c');
                pass.forward(NativeOps.copy(inPlace, windows.reshape('c', pass.rows, out.height(), out.width(), k, k)));
            } else {
                INDArray columns = pass.buffer(pass.rows, 1, k, k, out.height(), out.width());
                pass.forward(NativeOps.im2col(layer, images.reshape('c', pass.rows, 1, in.height(), in.width()),
                        columns));
                pass.forward(NativeOps.permute(columns.reshape('c', pass.rows, (long) k * k, positions), windows,
                        0, 2, 1));
            }
            return windows.reshape('c', pass.rows * positions, (long) k * k);
        }

        /** A {@code [k, k, 1, filters]} kernel as the {@code [k · k, filters]} matrix the patches multiply. */
        private static INDArray kernelMatrix(INDArray kernel) {
            return kernel.reshape('c', kernel.size(0) * kernel.size(1) * kernel.size(2), kernel.size(3));
        }
    }

    /** libnd4j's NHWC {@code maxpool2d} and {@code maxpool2d_bp}. */
    private static final class MaxPool extends LayerStep {
        private final LayerSpec.MaxPool2d layer;

        MaxPool(Stage stage, LayerSpec.MaxPool2d layer) {
            super(stage);
            this.layer = layer;
        }

        @Override
        INDArray forward(ConvPass pass, INDArray in) {
            INDArray out = pass.buffer(pass.shape(stage.out()));
            pass.forward(NativeOps.maxPool2d(layer, in, out));
            return out;
        }

        @Override
        INDArray backward(ConvPass pass, INDArray in, INDArray epsilon) {
            INDArray gradIn = pass.buffer(in.shape());
            pass.backward(NativeOps.maxPool2dBackprop(layer, in, epsilon, gradIn));
            return gradIn;
        }
    }

    /** A view, both ways: the images' memory read as rows. */
    private static final class Flatten extends LayerStep {
        Flatten(Stage stage) {
            super(stage);
        }

        @Override
        INDArray forward(ConvPass pass, INDArray in) {
            return in.reshape('c', pass.rows, stage.out().size());
        }

        @Override
        INDArray backward(ConvPass pass, INDArray in, INDArray epsilon) {
            return epsilon.reshape('c', in.shape());
        }
    }

    /**
     * The input times a mask its pass's owner draws per batch ({@link ConvPass#masks()}); the
     * identity in a pass without gradient.
     */
    private static final class Dropout extends LayerStep {
        private final double rate;
        private INDArray mask;

        Dropout(Stage stage, LayerSpec.Dropout layer) {
            super(stage);
            this.rate = layer.rate();
        }

        @Override
        INDArray forward(ConvPass pass, INDArray in) {
            if (!pass.training) {
                return in;
            }
            mask = pass.buffer(in.shape());
            INDArray out = pass.buffer(in.shape());
            pass.addMask(new ConvPass.DropoutMask(mask, rate));
            pass.forward(NativeOps.multiply(in, mask, out));
            return out;
        }

        @Override
        INDArray backward(ConvPass pass, INDArray in, INDArray epsilon) {
            INDArray gradIn = pass.buffer(in.shape());
            pass.backward(NativeOps.multiplyBackprop(in, mask, epsilon, gradIn, pass.buffer(in.shape())));
            return gradIn;
        }
    }
}
