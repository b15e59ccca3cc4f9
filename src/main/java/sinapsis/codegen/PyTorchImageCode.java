package sinapsis.codegen;

import sinapsis.data.Problem;
import sinapsis.model.InputShape;
import sinapsis.model.LayerShapes;
import sinapsis.model.LayerSpec;
import sinapsis.model.Padding;
import sinapsis.model.TrainingSpec;

/**
 * A session with image layers as a PyTorch program: the images from the session's CSV
 * ({@code label,pixel1,…}) divided by 255 and laid out channels first, as PyTorch wants them;
 * {@code Conv2d} / {@code MaxPool2d} / {@code Flatten} / {@code Dropout} / {@code Linear} with
 * Glorot-uniform weights and zero biases (Keras's defaults); Keras's {@code same} padding written
 * out as explicit padding (zeros for a convolution, −∞ for a pooling, more at the bottom and right,
 * as TensorFlow pads); a training loop that reports, like Keras, the mean loss and accuracy of the
 * epoch's batches and the validation split's; the test split evaluated at the end.
 */
final class PyTorchImageCode {
    private final CodeSource source;

    PyTorchImageCode(CodeSource source) {
        this.source = source;
    }

    String write() {
        TrainingSpec t = source.training();
        Problem problem = source.problem();
        InputShape shape = problem.inputShape();
        boolean binary = problem.outputCount() == 1;
        StringBuilder out = PyTorchCode.header(source);
        PythonData.readImages(source, out);
        out.append("# grey levels / 255, channels first (PyTorch's layout; Keras's is channels last)\n");
        out.append("X = torch.from_numpy(data[:, 1:].reshape(-1, ").append(shape.height()).append(", ")
                .append(shape.width()).append(", ").append(shape.channels())
                .append(").transpose(0, 3, 1, 2) / 255.0).float()\n");
        out.append(binary ? "y = torch.from_numpy(labels).float().unsqueeze(1)\n\n"
                : "y = torch.from_numpy(labels).long()\n\n");
        out.append("# the last ").append(problem.testRows()).append(" images are the test split, and before them the ")
                .append("validation split, as Keras's validation_split takes it\n");
        out.append("TEST_ROWS = ").append(problem.testRows()).append('\n');
        out.append("X_fit, y_fit = X[:len(X) - TEST_ROWS], y[:len(y) - TEST_ROWS]\n");
        out.append("X_test, y_test = X[len(X) - TEST_ROWS:], y[len(y) - TEST_ROWS:]\n");
        out.append("VAL_ROWS = int(len(X_fit) * ").append(Literals.number(t.validationSplit())).append(")\n");
        out.append("X_train, y_train = X_fit[:len(X_fit) - VAL_ROWS], y_fit[:len(y_fit) - VAL_ROWS]\n");
        out.append("X_val, y_val = X_fit[len(X_fit) - VAL_ROWS:], y_fit[len(y_fit) - VAL_ROWS:]\n\n");
        out.append("model = nn.Sequential(\n");
        LayerShapes shapes = LayerShapes.of(source.network(), shape);
        for (int l = 0; l < shapes.rows().size(); l++) {
            LayerShapes.Row row = shapes.rows().get(l);
            boolean output = l == shapes.rows().size() - 1;
            for (String module : modules(row, output)) {
                out.append("    ").append(module).append(",\n");
            }
        }
        out.append(")\n");
        out.append("for module in model:\n    if isinstance(module, (nn.Conv2d, nn.Linear)):\n");
        out.append("        nn.init.xavier_uniform_(module.weight)\n        nn.init.zeros_(module.bias)\n");
        out.append("print(model)\nprint(\"Total params:\", sum(p.numel() for p in model.parameters()))\n\n");
        out.append("# the output layer's ").append(binary ? "sigmoid" : "softmax")
                .append(" is in the loss, which takes logits\n");
        out.append("loss_fn = ").append(binary ? "nn.BCEWithLogitsLoss()" : "nn.CrossEntropyLoss()").append('\n');
        out.append("optimizer = ").append(PyTorchCode.optimizer(t)).append("\n\n");
        out.append("def correct(logits, targets):\n");
        out.append(binary ? "    return ((logits > 0).float() == targets).sum().item()\n\n"
                : "    return (logits.argmax(dim=1) == targets).sum().item()\n\n");
        out.append("def evaluate(X_part, y_part, batch=256):\n");
        out.append("    model.eval()\n    total, right = 0.0, 0\n    with torch.no_grad():\n");
        out.append("        for start in range(0, len(X_part), batch):\n");
        out.append("            logits = model(X_part[start:start + batch])\n");
        out.append("            total += loss_fn(logits, y_part[start:start + batch]).item() * len(logits)\n");
        out.append("            right += correct(logits, y_part[start:start + batch])\n");
        out.append("    return total / len(X_part), right / len(X_part)\n\n");
        PyTorchCode.earlyStoppingState(t, out);
        out.append("EPOCHS = ").append(t.epochs()).append('\n');
        out.append("batch_size = ").append(t.batchSize() <= 0 ? "len(X_train)" : "min(" + t.batchSize() + ", len(X_train))")
                .append('\n');
        out.append("for epoch in range(1, EPOCHS + 1):\n");
        out.append("    model.train()\n");
        out.append(t.shuffle() ? "    order = torch.randperm(len(X_train))\n" : "    order = torch.arange(len(X_train))\n");
        out.append("    total, right = 0.0, 0\n");
        out.append("    for start in range(0, len(X_train), batch_size):\n");
        out.append("        batch = order[start:start + batch_size]\n");
        out.append("        optimizer.zero_grad()\n");
        out.append("        logits = model(X_train[batch])\n");
        out.append("        loss = loss_fn(logits, y_train[batch])\n");
        out.append("        loss.backward()\n        optimizer.step()\n");
        out.append("        total += loss.item() * len(batch)\n");
        out.append("        right += correct(logits.detach(), y_train[batch])\n");
        out.append("    logs = {\"loss\": total / len(X_train), \"accuracy\": right / len(X_train)}\n");
        out.append("    if len(X_val) > 0:\n");
        out.append("        logs[\"val_loss\"], logs[\"val_accuracy\"] = evaluate(X_val, y_val)\n");
        out.append("    print(f\"Epoch {epoch}/{EPOCHS} - \" + \" - \".join(f\"{k}: {v:.4f}\" for k, v in logs.items()))\n");
        PyTorchCode.earlyStoppingCheck(t, out);
        out.append('\n');
        out.append("if TEST_ROWS:\n    test_loss, test_accuracy = evaluate(X_test, y_test)\n");
        out.append("    print(\"test_loss\", test_loss, \"test_accuracy\", test_accuracy)\n");
        out.append("    # the first test images: what the network says each one is\n");
        out.append("    model.eval()\n    with torch.no_grad():\n        logits = model(X_test[:5])\n");
        out.append(binary ? "    guesses = (logits > 0).long().flatten()\n" : "    guesses = logits.argmax(dim=1)\n");
        out.append("    for guess, truth in zip(guesses.tolist(), y_test[:5].long().flatten().tolist()):\n");
        out.append("        print(\"predicted:\", CLASS_NAMES[guess], \"- true:\", CLASS_NAMES[truth])\n");
        return out.toString();
    }

    /** A layer as PyTorch modules: explicit padding first where Keras pads, then the layer, then its activation. */
    private static java.util.List<String> modules(LayerShapes.Row row, boolean output) {
        LayerSpec layer = row.layer();
        java.util.List<String> modules = new java.util.ArrayList<>();
        if (layer instanceof LayerSpec.Conv2d conv) {
            if (conv.padding() == Padding.SAME) {
                modules.add("nn.ZeroPad2d(" + padding(row, conv.kernel(), conv.stride()) + ")");
            }
            modules.add("nn.Conv2d(" + row.in().channels() + ", " + conv.filters() + ", " + conv.kernel()
                    + ", stride=" + conv.stride() + ")");
        } else if (layer instanceof LayerSpec.MaxPool2d pool) {
            if (pool.padding() == Padding.SAME) {
                modules.add("nn.ConstantPad2d(" + padding(row, pool.size(), pool.stride()) + ", float(\"-inf\"))");
            }
            modules.add("nn.MaxPool2d(" + pool.size() + ", stride=" + pool.stride() + ")");
        } else if (layer instanceof LayerSpec.Dropout dropout) {
            modules.add("nn.Dropout(" + Literals.number(dropout.rate()) + ")");
        } else if (layer instanceof LayerSpec.Dense dense) {
            modules.add("nn.Linear(" + row.in().size() + ", " + dense.units() + ")");
        } else {
            modules.add("nn.Flatten()");
        }
        String activation = output || !(layer instanceof LayerSpec.Activated activated) ? null
                : PyTorchCode.activation(activated.activation());
        if (activation != null) {
            modules.add(activation);
        }
        return modules;
    }

    /** TensorFlow's "same" padding as (left, right, top, bottom): the odd pixel goes to the right and bottom. */
    private static String padding(LayerShapes.Row row, int window, int stride) {
        int height = Math.max((row.out().height() - 1) * stride + window - row.in().height(), 0);
        int width = Math.max((row.out().width() - 1) * stride + window - row.in().width(), 0);
        return "(" + width / 2 + ", " + (width - width / 2) + ", " + height / 2 + ", " + (height - height / 2) + ")";
    }
}
