package sinapsis.codegen;

import java.util.List;
import sinapsis.model.Activation;
import sinapsis.model.EarlyStopping;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.TrainingSpec;

/**
 * The session as a PyTorch program with its training loop written out. Cross-entropy runs on
 * logits ({@code CrossEntropyLoss}, {@code BCEWithLogitsLoss}), so the softmax or sigmoid of the
 * output layer is applied only when predicting; Dense layers start with Glorot-uniform weights and
 * zero biases, as in Keras.
 */
final class PyTorchCode {
    private final CodeSource source;

    PyTorchCode(CodeSource source) {
        this.source = source;
    }

    String write() {
        TrainingSpec t = source.training();
        boolean classification = source.problem().isClassification();
        boolean crossEntropy = t.loss() == LossKind.CROSSENTROPY;
        StringBuilder out = header(source);
        out.append(PythonData.write(source)).append('\n');
        out.append("X_train, y_train = torch.from_numpy(X_train), torch.from_numpy(y_train)\n");
        out.append("X_val, y_val = torch.from_numpy(X_val), torch.from_numpy(y_val)\n");
        if (crossEntropy && source.problem().outputCount() > 1) {
            out.append("# CrossEntropyLoss takes class indices\n");
            out.append("y_train_loss, y_val_loss = y_train.argmax(dim=1), y_val.argmax(dim=1)\n\n");
        } else {
            out.append("y_train_loss, y_val_loss = y_train, y_val\n\n");
        }
        List<LayerSpec.Dense> layers = source.network().denseLayers();
        out.append("model = nn.Sequential(\n");
        int fanIn = source.problem().inputCount();
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec.Dense layer = layers.get(l);
            out.append("    nn.Linear(").append(fanIn).append(", ").append(layer.units()).append("),\n");
            boolean output = l == layers.size() - 1;
            String activation = output && crossEntropy ? null : activation(layer.activation());
            if (activation != null) {
                out.append("    ").append(activation).append(",\n");
            }
            fanIn = layer.units();
        }
        out.append(")\n");
        out.append("for module in model:\n    if isinstance(module, nn.Linear):\n");
        out.append("        nn.init.xavier_uniform_(module.weight)\n        nn.init.zeros_(module.bias)\n");
        out.append("print(model)\nprint(\"Total params:\", sum(p.numel() for p in model.parameters()))\n\n");
        out.append("loss_fn = ").append(loss(t)).append('\n');
        out.append("optimizer = ").append(optimizer(t)).append("\n\n");
        if (classification) {
            out.append("def accuracy(logits, targets):\n");
            out.append(source.problem().outputCount() == 1
                    ? "    return ((logits[:, 0] > 0).float() == targets[:, 0]).float().mean().item()\n\n"
                    : "    return (logits.argmax(dim=1) == targets.argmax(dim=1)).float().mean().item()\n\n");
        }
        earlyStoppingState(t, out);
        out.append("EPOCHS = ").append(t.epochs()).append('\n');
        out.append("batch_size = ").append(t.batchSize() <= 0 ? "len(X_train)" : "min(" + t.batchSize() + ", len(X_train))")
                .append('\n');
        out.append("for epoch in range(1, EPOCHS + 1):\n");
        out.append("    model.train()\n");
        out.append(t.shuffle() ? "    order = torch.randperm(len(X_train))\n" : "    order = torch.arange(len(X_train))\n");
        out.append("    total = 0.0\n");
        out.append("    for start in range(0, len(X_train), batch_size):\n");
        out.append("        batch = order[start:start + batch_size]\n");
        out.append("        optimizer.zero_grad()\n");
        out.append("        loss = loss_fn(model(X_train[batch]), y_train_loss[batch])\n");
        if (t.regularised()) { // Keras's kernel_regularizer: the weights' penalty joins the loss
            out.append("        weights = [m.weight for m in model if isinstance(m, nn.Linear)]\n");
            out.append("        loss = loss + ").append(Literals.number(t.l1()))
                    .append(" * sum(w.abs().sum() for w in weights) + ").append(Literals.number(t.l2()))
                    .append(" * sum((w ** 2).sum() for w in weights)\n");
        }
        out.append("        loss.backward()\n        optimizer.step()\n");
        out.append("        total += loss.item() * len(batch)\n");
        out.append("    logs = {\"loss\": total / len(X_train)}\n");
        out.append("    model.eval()\n    with torch.no_grad():\n");
        if (classification) {
            out.append("        logs[\"accuracy\"] = accuracy(model(X_train), y_train)\n");
        }
        out.append("        if len(X_val) > 0:\n");
        out.append("            logs[\"val_loss\"] = loss_fn(model(X_val), y_val_loss).item()\n");
        if (classification) {
            out.append("            logs[\"val_accuracy\"] = accuracy(model(X_val), y_val)\n");
        }
        out.append("    print(f\"Epoch {epoch}/{EPOCHS} - \" + \" - \".join(f\"{k}: {v:.4f}\" for k, v in logs.items()))\n");
        earlyStoppingCheck(t, out);
        out.append('\n');
        out.append("for name, parameter in model.named_parameters():\n    print(name, parameter.detach().numpy())\n\n");
        out.append("# predict the first row, in original units\nmodel.eval()\nwith torch.no_grad():\n");
        out.append("    prediction = model(torch.from_numpy(X[:1]))");
        if (crossEntropy) {
            out.append(source.problem().outputCount() == 1 ? ".sigmoid()" : ".softmax(dim=1)");
        }
        out.append(".numpy()\n");
        out.append(PythonData.unscale(source, "prediction"));
        out.append("print(dict(zip(OUTPUTS, prediction[0])))\n");
        return out.toString();
    }

    /** The program's first lines: title, how to run it, imports, the seed. */
    static StringBuilder header(CodeSource source) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(Literals.comment(source.title())).append(" — PyTorch, exported by Sinapsis\n");
        out.append("# Run: pip install torch numpy && python sinapsis_pytorch.py\n");
        out.append("import numpy as np\nimport torch\nfrom torch import nn\n\n");
        out.append("torch.manual_seed(").append(source.training().seed()).append(")\n\n");
        return out;
    }

    /** The variables Keras's EarlyStopping keeps, when the session has it. */
    static void earlyStoppingState(TrainingSpec t, StringBuilder out) {
        EarlyStopping early = t.earlyStopping();
        if (early != null) {
            out.append("# EarlyStopping(monitor=\"").append(early.monitor().id()).append("\", patience=")
                    .append(early.patience()).append(", min_delta=").append(Literals.number(early.minDelta()))
                    .append("), as Keras applies it\n");
            out.append("best, best_epoch, wait, best_state = float(\"inf\"), 0, 0, None\n");
        }
    }

    /** The end of an epoch's loop body: Keras's EarlyStopping rule on {@code logs}, when the session has it. */
    static void earlyStoppingCheck(TrainingSpec t, StringBuilder out) {
        EarlyStopping early = t.earlyStopping();
        if (early == null) {
            return;
        }
        out.append("    if logs[\"").append(early.monitor().id()).append("\"] + ").append(Literals.number(early.minDelta()))
                .append(" < best:\n");
        out.append("        best, best_epoch, wait = logs[\"").append(early.monitor().id()).append("\"], epoch, 0\n");
        out.append("        best_state = {k: v.clone() for k, v in model.state_dict().items()}\n");
        out.append("    else:\n        wait += 1\n");
        out.append("        if wait >= ").append(early.patience()).append(" and epoch > 1:\n");
        if (early.restoreBestWeights()) {
            out.append("            model.load_state_dict(best_state)\n");
            out.append("            print(f\"Restoring model weights from the end of the best epoch: {best_epoch}.\")\n");
        }
        out.append("            print(f\"Epoch {epoch}: early stopping\")\n            break\n");
    }

    static String activation(Activation activation) {
        return switch (activation) {
            case LINEAR -> null;
            case RELU -> "nn.ReLU()";
            case LEAKY_RELU -> "nn.LeakyReLU(0.3)";
            case TANH -> "nn.Tanh()";
            case SIGMOID -> "nn.Sigmoid()";
            case SOFTMAX -> "nn.Softmax(dim=1)";
        };
    }

    private String loss(TrainingSpec t) {
        return switch (t.loss()) {
            case MSE -> "nn.MSELoss()";
            case MAE -> "nn.L1Loss()";
            case HUBER -> "nn.HuberLoss(delta=1.0)";
            case CROSSENTROPY -> source.problem().outputCount() == 1 ? "nn.BCEWithLogitsLoss()" : "nn.CrossEntropyLoss()";
        };
    }

    static String optimizer(TrainingSpec t) {
        String lr = Literals.number(t.learningRate());
        return switch (t.optimizer()) {
            case SGD -> "torch.optim.SGD(model.parameters(), lr=" + lr + ")";
            case MOMENTUM -> "torch.optim.SGD(model.parameters(), lr=" + lr + ", momentum=0.9, nesterov=True)";
            case ADAM -> "torch.optim.Adam(model.parameters(), lr=" + lr + ", eps=1e-7)";
            case RMSPROP -> "torch.optim.RMSprop(model.parameters(), lr=" + lr + ", alpha=0.9)";
        };
    }
}
