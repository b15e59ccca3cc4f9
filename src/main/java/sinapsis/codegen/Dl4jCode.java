package sinapsis.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import sinapsis.model.EarlyStopping;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.TrainingSpec;

/**
 * The session as a Java program on DL4J 1.0.0-M2.1: a {@code MultiLayerNetwork} with the same
 * layers, loss and updater, trained epoch by epoch with early stopping applied as Keras does.
 */
final class Dl4jCode {
    private final CodeSource source;

    Dl4jCode(CodeSource source) {
        this.source = source;
    }

    String write() {
        TrainingSpec t = source.training();
        boolean huber = t.loss() == LossKind.HUBER;
        StringBuilder out = new StringBuilder();
        out.append("// ").append(Literals.comment(source.title())).append(" — DL4J 1.0.0-M2.1, exported by Sinapsis\n");
        out.append("// Needs org.deeplearning4j:deeplearning4j-nn and org.nd4j:nd4j-native-platform 1.0.0-M2.1.\n");
        out.append("import java.nio.file.Files;\nimport java.nio.file.Path;\nimport java.util.List;\n");
        out.append("import org.deeplearning4j.nn.conf.MultiLayerConfiguration;\n");
        out.append("import org.deeplearning4j.nn.conf.NeuralNetConfiguration;\n");
        out.append("import org.deeplearning4j.nn.conf.layers.DenseLayer;\n");
        out.append("import org.deeplearning4j.nn.conf.layers.OutputLayer;\n");
        out.append("import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;\n");
        out.append("import org.deeplearning4j.nn.weights.WeightInit;\n");
        out.append("import org.nd4j.linalg.activations.Activation;\n");
        out.append("import org.nd4j.linalg.api.buffer.DataType;\n");
        out.append("import org.nd4j.linalg.api.ndarray.INDArray;\n");
        out.append("import org.nd4j.linalg.dataset.DataSet;\n");
        out.append("import org.nd4j.linalg.factory.Nd4j;\n");
        out.append("import org.nd4j.linalg.indexing.NDArrayIndex;\n");
        out.append("import org.nd4j.linalg.learning.config.").append(updaterClass(t)).append(";\n");
        out.append("import org.nd4j.linalg.lossfunctions.LossFunctions;\n");
        if (huber) {
            out.append("import org.nd4j.common.primitives.Pair;\n");
            out.append("import org.nd4j.linalg.activations.IActivation;\n");
            out.append("import org.nd4j.linalg.api.ops.DynamicCustomOp;\n");
            out.append("import org.nd4j.linalg.lossfunctions.ILossFunction;\n");
        }
        out.append("\npublic class SinapsisModel {\n");
        out.append("    static final String[] INPUTS = ").append(Literals.strings(source.problem().inputNames(), "{", "}"))
                .append(";\n");
        out.append("    static final String[] OUTPUTS = ").append(Literals.strings(source.problem().outputNames(), "{", "}"))
                .append(";\n");
        out.append("    static final double VALIDATION_SPLIT = ").append(Literals.number(t.validationSplit())).append(";\n");
        if (source.inline()) {
            out.append("    static final double[][] X = ")
                    .append(Literals.table(source.problem().x(), "{", "}", "            ")).append(";\n");
            out.append("    static final double[][] Y = ")
                    .append(Literals.table(source.problem().y(), "{", "}", "            ")).append(";\n");
        }
        out.append("\n    public static void main(String[] args) throws Exception {\n");
        if (source.inline()) {
            out.append("        double[][] x = X;\n        double[][] y = Y;\n");
        } else {
            out.append("        // ").append(source.problem().rows()).append(" rows; download the data first: ")
                    .append(Literals.comment(source.dataUrl())).append('\n');
            out.append("        List<String> lines = Files.readAllLines(Path.of(\"training-data.csv\"));\n");
            out.append("        double[][] x = new double[lines.size() - 1][INPUTS.length];\n");
            out.append("        double[][] y = new double[lines.size() - 1][OUTPUTS.length];\n");
            out.append("        for (int r = 1; r < lines.size(); r++) {\n");
            out.append("            String[] cells = lines.get(r).split(\",\");\n");
            out.append("            for (int c = 0; c < cells.length; c++) {\n");
            out.append("                double value = Double.parseDouble(cells[c]);\n");
            out.append("                if (c < INPUTS.length) {\n                    x[r - 1][c] = value;\n");
            out.append("                } else {\n                    y[r - 1][c - INPUTS.length] = value;\n                }\n");
            out.append("            }\n        }\n");
        }
        out.append("        int nTrain = x.length - (int) Math.floor(x.length * VALIDATION_SPLIT);\n");
        out.append("        INDArray features = Nd4j.create(x).castTo(DataType.FLOAT);\n");
        out.append("        INDArray labels = Nd4j.create(y).castTo(DataType.FLOAT);\n");
        if (t.standardize()) {
            out.append("        // standardise with the statistics of the training rows\n");
            out.append("        INDArray trainX = features.get(NDArrayIndex.interval(0, nTrain));\n");
            out.append("        INDArray xMean = trainX.mean(0);\n");
            out.append("        INDArray xStd = trainX.std(false, 0);\n");
            out.append("        xStd = xStd.add(xStd.eq(0).castTo(DataType.FLOAT));\n");
            out.append("        features = features.subRowVector(xMean).divRowVector(xStd);\n");
            if (!source.problem().isClassification()) {
                out.append("        INDArray trainY = labels.get(NDArrayIndex.interval(0, nTrain));\n");
                out.append("        INDArray yMean = trainY.mean(0);\n");
                out.append("        INDArray yStd = trainY.std(false, 0);\n");
                out.append("        yStd = yStd.add(yStd.eq(0).castTo(DataType.FLOAT));\n");
                out.append("        labels = labels.subRowVector(yMean).divRowVector(yStd);\n");
            }
        }
        out.append("        DataSet train = new DataSet(features.get(NDArrayIndex.interval(0, nTrain)),\n");
        out.append("                labels.get(NDArrayIndex.interval(0, nTrain)));\n");
        out.append("        DataSet validation = nTrain == x.length ? null\n");
        out.append("                : new DataSet(features.get(NDArrayIndex.interval(nTrain, x.length)),\n");
        out.append("                        labels.get(NDArrayIndex.interval(nTrain, x.length)));\n\n");
        out.append("        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()\n");
        out.append("                .seed(").append(t.seed()).append("L)\n");
        out.append("                .dataType(DataType.FLOAT)\n");
        out.append("                .weightInit(WeightInit.XAVIER_UNIFORM)\n");
        out.append("                .updater(").append(updater(t)).append(")\n");
        if (t.regularised()) { // DL4J's l2 penalises ½·c·Σw², Keras's l2·Σw²: c = 2·l2
            out.append("                .l1(").append(Literals.number(t.l1())).append(").l2(")
                    .append(Literals.number(2 * t.l2())).append(")\n");
        }
        out.append("                .list()\n");
        List<LayerSpec.Dense> layers = source.network().denseLayers();
        int fanIn = source.problem().inputCount();
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec.Dense layer = layers.get(l);
            boolean output = l == layers.size() - 1;
            out.append("                .layer(new ").append(output ? "OutputLayer.Builder(" + loss(t) + ")" : "DenseLayer.Builder()")
                    .append(".nIn(").append(fanIn).append(").nOut(").append(layer.units())
                    .append(")\n                        .activation(").append(activation(layer)).append(").build())\n");
            fanIn = layer.units();
        }
        out.append("                .build();\n");
        out.append("        MultiLayerNetwork model = new MultiLayerNetwork(configuration);\n");
        out.append("        model.init();\n");
        out.append("        System.out.println(model.summary());\n\n");
        EarlyStopping early = t.earlyStopping();
        if (early != null) {
            out.append("        // EarlyStopping(monitor=\"").append(early.monitor().id()).append("\", patience=")
                    .append(early.patience()).append(", min_delta=").append(Literals.number(early.minDelta()))
                    .append("), as Keras applies it\n");
            out.append("        double best = Double.POSITIVE_INFINITY;\n        int bestEpoch = 0;\n        int wait = 0;\n");
            out.append("        INDArray bestParams = model.params().dup();\n");
        }
        out.append("        int epochs = ").append(t.epochs()).append(";\n");
        out.append("        int batchSize = ").append(t.batchSize() <= 0 ? "nTrain" : "Math.min(" + t.batchSize() + ", nTrain)")
                .append(";\n");
        out.append("        for (int epoch = 1; epoch <= epochs; epoch++) {\n");
        if (t.shuffle()) {
            out.append("            train.shuffle(").append(t.seed()).append("L + epoch);\n");
        }
        out.append("            for (DataSet batch : train.batchBy(batchSize)) {\n");
        out.append("                model.fit(batch);\n            }\n");
        out.append("            double loss = model.score(train);\n");
        out.append("            String line = \"Epoch \" + epoch + \"/\" + epochs + String.format(\" - loss: %.4f\", loss);\n");
        out.append("            double valLoss = Double.NaN;\n");
        out.append("            if (validation != null) {\n");
        out.append("                valLoss = model.score(validation);\n");
        out.append("                line += String.format(\" - val_loss: %.4f\", valLoss);\n            }\n");
        out.append("            System.out.println(line);\n");
        if (early != null) {
            out.append("            double monitored = ").append(early.monitor() == EarlyStopping.Monitor.LOSS ? "loss" : "valLoss")
                    .append(";\n");
            out.append("            if (monitored + ").append(Literals.number(early.minDelta())).append(" < best) {\n");
            out.append("                best = monitored;\n                bestEpoch = epoch;\n                wait = 0;\n");
            out.append("                bestParams.assign(model.params());\n");
            out.append("            } else if (++wait >= ").append(early.patience()).append(" && epoch > 1) {\n");
            if (early.restoreBestWeights()) {
                out.append("                model.setParams(bestParams);\n");
                out.append("                System.out.println(\"Restoring model weights from the end of the best epoch: \" + bestEpoch + \".\");\n");
            }
            out.append("                System.out.println(\"Epoch \" + epoch + \": early stopping\");\n");
            out.append("                break;\n            }\n");
        }
        out.append("        }\n\n");
        out.append("        System.out.println(model.paramTable());\n");
        out.append("        INDArray prediction = model.output(features.getRow(0, true));\n");
        if (t.standardize() && !source.problem().isClassification()) {
            out.append("        prediction = prediction.mulRowVector(yStd).addRowVector(yMean);\n");
        }
        out.append("        for (int o = 0; o < OUTPUTS.length; o++) {\n");
        out.append("            System.out.println(OUTPUTS[o] + \" = \" + prediction.getDouble(0, o));\n        }\n");
        out.append("    }\n");
        if (huber) {
            out.append(resource("/codegen/dl4j-huber.txt"));
        }
        out.append("}\n");
        return out.toString();
    }

    private static String updaterClass(TrainingSpec t) {
        return switch (t.optimizer()) {
            case SGD -> "Sgd";
            case MOMENTUM -> "Nesterovs";
            case ADAM -> "Adam";
            case RMSPROP -> "RmsProp";
        };
    }

    private static String updater(TrainingSpec t) {
        String lr = Literals.number(t.learningRate());
        return switch (t.optimizer()) {
            case SGD -> "new Sgd(" + lr + ")";
            case MOMENTUM -> "new Nesterovs(" + lr + ", 0.9)";
            case ADAM -> "new Adam(" + lr + ")";
            case RMSPROP -> "new RmsProp(" + lr + ", 0.9, RmsProp.DEFAULT_RMSPROP_EPSILON)";
        };
    }

    private String loss(TrainingSpec t) {
        return switch (t.loss()) {
            case MSE -> "LossFunctions.LossFunction.MSE";
            case MAE -> "LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR";
            case HUBER -> "new HuberLoss()";
            case CROSSENTROPY -> source.problem().outputCount() == 1 ? "LossFunctions.LossFunction.XENT"
                    : "LossFunctions.LossFunction.MCXENT";
        };
    }

    private static String activation(LayerSpec.Dense layer) {
        return switch (layer.activation()) {
            case LINEAR -> "Activation.IDENTITY";
            case RELU -> "Activation.RELU";
            case LEAKY_RELU -> "new org.nd4j.linalg.activations.impl.ActivationLReLU(0.3)";
            case TANH -> "Activation.TANH";
            case SIGMOID -> "Activation.SIGMOID";
            case SOFTMAX -> "Activation.SOFTMAX";
        };
    }

    private static String resource(String path) {
        try (InputStream in = Dl4jCode.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
