package sinapsis.codegen;

import sinapsis.model.Activation;
import sinapsis.model.EarlyStopping;
import sinapsis.model.LayerSpec;
import sinapsis.model.TrainingSpec;

/** The session as a Keras (TensorFlow 2) program. */
final class KerasCode {
    private final CodeSource source;

    KerasCode(CodeSource source) {
        this.source = source;
    }

    String write() {
        TrainingSpec t = source.training();
        StringBuilder out = header(source);
        out.append(PythonData.write(source)).append('\n');
        out.append("model = keras.Sequential([\n");
        out.append("    keras.Input(shape=(").append(source.problem().inputCount()).append(",)),\n");
        String penalty = regularizer(t);
        for (LayerSpec.Dense layer : source.network().denseLayers()) {
            if (layer.activation() == Activation.LEAKY_RELU) {
                out.append("    keras.layers.Dense(").append(layer.units()).append(penalty).append("),\n");
                out.append("    keras.layers.LeakyReLU(0.3),\n");
            } else {
                out.append("    keras.layers.Dense(").append(layer.units()).append(", activation=\"")
                        .append(layer.activation().id()).append("\"").append(penalty).append("),\n");
            }
        }
        out.append("])\n");
        out.append("model.compile(optimizer=").append(optimizer(t)).append(", loss=").append(loss())
                .append(source.problem().isClassification() ? ", metrics=[\"accuracy\"]" : "").append(")\n");
        out.append("model.summary()\n\n");
        String callbacks = earlyStopping(t, out);
        String batch = t.batchSize() <= 0 ? "len(X_train)" : "min(" + t.batchSize() + ", len(X_train))";
        out.append("history = model.fit(X_train, y_train, epochs=").append(t.epochs()).append(", batch_size=")
                .append(batch).append(", shuffle=").append(t.shuffle() ? "True" : "False")
                .append(t.validationSplit() > 0 ? ", validation_data=(X_val, y_val)" : "").append(callbacks)
                .append(", verbose=2)\n\n");
        out.append("for layer in model.layers:\n    for weights in layer.get_weights():\n        print(layer.name, weights)\n\n");
        out.append("# predict the first row, in original units\nfirst = X[:1]\n");
        out.append("prediction = model.predict(first, verbose=0)\n");
        out.append(PythonData.unscale(source, "prediction"));
        out.append("print(dict(zip(OUTPUTS, prediction[0])))\n");
        return out.toString();
    }

    /** {@code , kernel_regularizer=…} when the session penalises its weights, else "". */
    static String regularizer(TrainingSpec t) {
        if (!t.regularised()) {
            return "";
        }
        return ", kernel_regularizer=keras.regularizers.L1L2(l1=" + Literals.number(t.l1()) + ", l2="
                + Literals.number(t.l2()) + ")";
    }

    /** The program's first lines: title, how to run it, imports, the seed. */
    static StringBuilder header(CodeSource source) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(Literals.comment(source.title())).append(" — Keras (TensorFlow 2), exported by Sinapsis\n");
        out.append("# Run: pip install tensorflow numpy && python sinapsis_keras.py\n");
        out.append("import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n\n");
        out.append("keras.utils.set_random_seed(").append(source.training().seed()).append(")\n\n");
        return out;
    }

    /** Defines the EarlyStopping callback when the session has one; the {@code fit} argument that passes it (or ""). */
    static String earlyStopping(TrainingSpec t, StringBuilder out) {
        EarlyStopping early = t.earlyStopping();
        if (early == null) {
            return "";
        }
        out.append("early_stopping = keras.callbacks.EarlyStopping(monitor=\"").append(early.monitor().id())
                .append("\", patience=").append(early.patience()).append(", min_delta=")
                .append(Literals.number(early.minDelta())).append(", restore_best_weights=")
                .append(early.restoreBestWeights() ? "True" : "False").append(", verbose=1)\n");
        return ", callbacks=[early_stopping]";
    }

    static String optimizer(TrainingSpec t) {
        String lr = Literals.number(t.learningRate());
        return switch (t.optimizer()) {
            case SGD -> "keras.optimizers.SGD(learning_rate=" + lr + ")";
            case MOMENTUM -> "keras.optimizers.SGD(learning_rate=" + lr + ", momentum=0.9, nesterov=True)";
            case ADAM -> "keras.optimizers.Adam(learning_rate=" + lr + ")";
            case RMSPROP -> "keras.optimizers.RMSprop(learning_rate=" + lr + ", rho=0.9)";
        };
    }

    private String loss() {
        return switch (source.training().loss()) {
            case MSE -> "\"mse\"";
            case MAE -> "\"mae\"";
            case HUBER -> "keras.losses.Huber(delta=1.0)";
            case CROSSENTROPY -> source.problem().outputCount() == 1 ? "\"binary_crossentropy\""
                    : "\"categorical_crossentropy\"";
        };
    }
}
