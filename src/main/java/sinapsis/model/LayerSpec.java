package sinapsis.model;

/**
 * One layer of a network: a record per kind, each holding only what that kind has and refusing
 * bad values naming the field. Each kind says what it gives for an input shape and how many
 * parameters it has, so {@link LayerShapes} (Keras's {@code model.summary()}) needs no switch.
 */
public sealed interface LayerSpec
        permits LayerSpec.Activated, LayerSpec.Windowed, LayerSpec.Flatten, LayerSpec.Dropout {
    int MAX_UNITS = 4096;
    int MAX_FILTERS = 512;
    int MAX_WINDOW = 32;

    LayerType type();

    /**
     * What the layer gives for one example of shape {@code in}; a layer that does not fit is refused
     * naming {@code field} (the layer's path, e.g. {@code network.layers[2]}).
     */
    InputShape outputShape(InputShape in, String field);

    /** Weights plus biases for an input of shape {@code in}. */
    default long parameterCount(InputShape in) {
        return 0;
    }

    default boolean isDense() {
        return this instanceof Dense;
    }

    /** A layer followed by an activation (Dense, Conv2D). */
    sealed interface Activated extends LayerSpec permits Dense, Conv2d {
        Activation activation();
    }

    /** A layer that slides a square window over an image (Conv2D, MaxPooling2D). */
    sealed interface Windowed extends LayerSpec permits Conv2d, MaxPool2d {
        int window();

        int stride();

        Padding padding();

        /** The image the window's positions make, with {@code channels} channels. */
        default InputShape windowOutput(InputShape in, String field, int channels) {
            if (!in.isImage()) {
                throw new InvalidSpecException(field + ".type", "error.spatialNeedsImage", type().kerasName(),
                        in.keras());
            }
            int height = padding().outputSize(in.height(), window(), stride());
            int width = padding().outputSize(in.width(), window(), stride());
            if (height < 1 || width < 1) {
                throw new InvalidSpecException(field, "error.windowTooLarge", type().kerasName(),
                        window() + "×" + window(), in.keras());
            }
            return InputShape.image(height, width, channels);
        }
    }

    /** A fully connected layer of {@code units} units. */
    record Dense(int units, Activation activation) implements Activated {
        public Dense {
            Checks.intBetween("units", units, 1, MAX_UNITS);
            Checks.required("activation", activation);
        }

        @Override
        public LayerType type() {
            return LayerType.DENSE;
        }

        @Override
        public InputShape outputShape(InputShape in, String field) {
            if (in.isImage()) {
                throw new InvalidSpecException(field + ".type", "error.denseNeedsFlatten", in.keras());
            }
            return InputShape.flat(units);
        }

        @Override
        public long parameterCount(InputShape in) {
            return (long) in.size() * units + units;
        }
    }

    /** A convolution of {@code filters} square {@code kernel × kernel} kernels. */
    record Conv2d(int filters, int kernel, int stride, Padding padding, Activation activation)
            implements Activated, Windowed {
        public Conv2d {
            Checks.intBetween("filters", filters, 1, MAX_FILTERS);
            Checks.intBetween("kernel", kernel, 1, MAX_WINDOW);
            Checks.intBetween("stride", stride, 1, MAX_WINDOW);
            Checks.required("padding", padding);
            Checks.required("activation", activation);
            if (activation == Activation.SOFTMAX) {
                throw new InvalidSpecException("activation", "error.softmaxOnlyDense");
            }
        }

        @Override
        public LayerType type() {
            return LayerType.CONV2D;
        }

        @Override
        public int window() {
            return kernel;
        }

        @Override
        public InputShape outputShape(InputShape in, String field) {
            return windowOutput(in, field, filters);
        }

        @Override
        public long parameterCount(InputShape in) {
            return (long) kernel * kernel * in.channels() * filters + filters;
        }
    }

    /** The maximum over square {@code size × size} windows (Keras: the stride defaults to the size). */
    record MaxPool2d(int size, int stride, Padding padding) implements Windowed {
        public MaxPool2d {
            Checks.intBetween("size", size, 1, MAX_WINDOW);
            Checks.intBetween("stride", stride, 1, MAX_WINDOW);
            Checks.required("padding", padding);
        }

        @Override
        public LayerType type() {
            return LayerType.MAXPOOL2D;
        }

        @Override
        public int window() {
            return size;
        }

        @Override
        public InputShape outputShape(InputShape in, String field) {
            return windowOutput(in, field, in.channels());
        }
    }

    /** An image read as one flat vector. */
    record Flatten() implements LayerSpec {
        @Override
        public LayerType type() {
            return LayerType.FLATTEN;
        }

        @Override
        public InputShape outputShape(InputShape in, String field) {
            return InputShape.flat(in.size());
        }
    }

    /** Sets a fraction {@code rate} of its inputs, in [0, 1), to zero while training. */
    record Dropout(double rate) implements LayerSpec {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new InvalidSpecException("rate", "error.dropoutRate", rate);
            }
        }

        @Override
        public LayerType type() {
            return LayerType.DROPOUT;
        }

        @Override
        public InputShape outputShape(InputShape in, String field) {
            return in;
        }
    }

    static Dense dense(int units, Activation activation) {
        return new Dense(units, activation);
    }

    static Conv2d conv2d(int filters, int kernel, int stride, Padding padding, Activation activation) {
        return new Conv2d(filters, kernel, stride, padding, activation);
    }

    static MaxPool2d maxPool2d(int size, int stride) {
        return new MaxPool2d(size, stride, Padding.VALID);
    }

    static Flatten flatten() {
        return new Flatten();
    }

    static Dropout dropout(double rate) {
        return new Dropout(rate);
    }
}
