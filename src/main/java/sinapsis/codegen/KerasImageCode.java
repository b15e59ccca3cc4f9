package sinapsis.codegen;

import sinapsis.data.Problem;
import sinapsis.model.Activation;
import sinapsis.model.InputShape;
import sinapsis.model.LayerSpec;
import sinapsis.model.TrainingSpec;

/**
 * A session with image layers as a Keras program, as the course's Fashion-MNIST notebook writes it:
 * the images from the session's CSV ({@code label,pixel1,…}) reshaped to height × width × channels
 * and divided by 255, labels one-hot, Conv2D / MaxPooling2D / Flatten / Dropout / Dense, and the
 * test split evaluated at the end.
 */
final class KerasImageCode {
    private final CodeSource source;

    KerasImageCode(CodeSource source) {
        this.source = source;
    }

    String write() {
        TrainingSpec t = source.training();
        Problem problem = source.problem();
        InputShape shape = problem.inputShape();
        StringBuilder out = KerasCode.header(source);
        PythonData.readImages(source, out);
        out.append("X = data[:, 1:].reshape(-1, ").append(shape.height()).append(", ").append(shape.width())
                .append(", ").append(shape.channels()).append(") / 255.0\n");
        out.append("y = keras.utils.to_categorical(labels, len(CLASSES))\n\n");
        out.append("# the last ").append(problem.testRows()).append(" images are the test split\n");
        out.append("TEST_ROWS = ").append(problem.testRows()).append('\n');
        out.append("X_fit, y_fit = X[:len(X) - TEST_ROWS], y[:len(y) - TEST_ROWS]\n");
        out.append("X_test, y_test = X[len(X) - TEST_ROWS:], y[len(y) - TEST_ROWS:]\n\n");
        out.append("model = keras.Sequential([\n");
        out.append("    keras.Input(shape=(").append(shape.height()).append(", ").append(shape.width()).append(", ")
                .append(shape.channels()).append(")),\n");
        for (LayerSpec layer : source.network().layers()) {
            out.append("    ").append(layer(layer)).append(",\n");
            if (layer instanceof LayerSpec.Activated activated && activated.activation() == Activation.LEAKY_RELU) {
                out.append("    keras.layers.LeakyReLU(0.3),\n");
            }
        }
        out.append("])\n");
        out.append("model.compile(optimizer=").append(KerasCode.optimizer(t)).append(", loss=\"categorical_crossentropy\", "
                + "metrics=[\"accuracy\"])\n");
        out.append("model.summary()\n\n");
        String callbacks = KerasCode.earlyStopping(t, out);
        String batch = t.batchSize() <= 0 ? "len(X_fit)" : String.valueOf(t.batchSize());
        out.append("history = model.fit(X_fit, y_fit, epochs=").append(t.epochs()).append(", batch_size=").append(batch)
                .append(", shuffle=").append(t.shuffle() ? "True" : "False")
                .append(t.validationSplit() > 0 ? ", validation_split=" + Literals.number(t.validationSplit()) : "")
                .append(callbacks).append(")\n\n");
        out.append("if TEST_ROWS:\n    test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)\n");
        out.append("    print(\"test_loss\", test_loss, \"test_accuracy\", test_accuracy)\n");
        out.append("    # the first test images: what the network says each one is\n");
        out.append("    guesses = model.predict(X_test[:5], verbose=0).argmax(axis=1)\n");
        out.append("    for guess, truth in zip(guesses, y_test[:5].argmax(axis=1)):\n");
        out.append("        print(\"predicted:\", CLASS_NAMES[guess], \"- true:\", CLASS_NAMES[truth])\n");
        return out.toString();
    }

    private static String layer(LayerSpec layer) {
        if (layer instanceof LayerSpec.Conv2d conv) {
            return "keras.layers.Conv2D(" + conv.filters() + ", (" + conv.kernel() + ", " + conv.kernel()
                    + "), strides=" + conv.stride() + ", padding=\"" + conv.padding().id() + "\"" + activation(conv) + ")";
        }
        if (layer instanceof LayerSpec.MaxPool2d pool) {
            return "keras.layers.MaxPooling2D((" + pool.size() + ", " + pool.size() + "), strides="
                    + pool.stride() + ", padding=\"" + pool.padding().id() + "\")";
        }
        if (layer instanceof LayerSpec.Dropout dropout) {
            return "keras.layers.Dropout(" + Literals.number(dropout.rate()) + ")";
        }
        if (layer instanceof LayerSpec.Dense dense) {
            return "keras.layers.Dense(" + dense.units() + activation(dense) + ")";
        }
        return "keras.layers.Flatten()";
    }

    /** Keras's activation argument; none for LeakyReLU, which is a layer of its own. */
    private static String activation(LayerSpec.Activated layer) {
        return layer.activation() == Activation.LEAKY_RELU ? "" : ", activation=\"" + layer.activation().id() + "\"";
    }
}
