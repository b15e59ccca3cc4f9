package sinapsis.training.nd4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import sinapsis.model.InputShape;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.model.Padding;
import sinapsis.model.TrainingSpec;

/**
 * DL4J's own {@link MultiLayerNetwork} for a spec: the yardstick that the lean loop is tested
 * against and benchmarked next to.
 */
public final class MultiLayerNetworks {
    private MultiLayerNetworks() {
    }

    static MultiLayerNetwork build(NetworkSpec spec, int inputs, TrainingSpec training, int outputs) {
        var list = new NeuralNetConfiguration.Builder()
                .seed(training.seed())
                .dataType(DenseNetwork.DTYPE)
                .updater(Nd4jMapping.updater(training.optimizer(), training.learningRate()))
                .l1(training.l1()).l2(2 * training.l2()) // DL4J's l2 penalises ½·c·Σw²; Keras's l2·Σw²
                .list();
        int fanIn = inputs;
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec.Dense layer = spec.denseLayers().get(l);
            list.layer(layer(layer, l == spec.layers().size() - 1, training, fanIn));
            fanIn = layer.units();
        }
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        return network;
    }

    /**
     * Trains a bare MultiLayerNetwork on the whole data set for {@code epochs} epochs, the simplest
     * DL4J loop, and returns the mean time of one epoch in microseconds (after {@code warmup} epochs).
     */
    public static double microsPerEpoch(NetworkSpec spec, TrainingSpec training, double[][] x, double[][] y,
                                        int warmup, int epochs) {
        MultiLayerNetwork network = build(spec, x[0].length, training, y[0].length);
        DataSet data = new DataSet(DenseNetwork.matrix(x, x[0].length), DenseNetwork.matrix(y, y[0].length));
        for (int i = 0; i < warmup; i++) {
            network.fit(data);
        }
        long start = System.nanoTime();
        double score = 0;
        for (int i = 0; i < epochs; i++) {
            network.fit(data);
            score = network.score();
        }
        long elapsed = System.nanoTime() - start;
        if (!Double.isFinite(score)) {
            throw new IllegalStateException("the reference network diverged: " + score);
        }
        return elapsed / 1000.0 / epochs;
    }

    /**
     * A MultiLayerNetwork with image layers (DL4J's ConvolutionLayer, SubsamplingLayer, DropoutLayer;
     * flattening is DL4J's own preprocessor), NHWC input as {@link ConvNetwork} takes it.
     */
    static MultiLayerNetwork buildConvolutional(NetworkSpec spec, InputShape input, TrainingSpec training) {
        var list = new NeuralNetConfiguration.Builder()
                .seed(training.seed())
                .dataType(ConvNetwork.DTYPE)
                .convolutionMode(ConvolutionMode.Truncate)
                .updater(Nd4jMapping.updater(training.optimizer(), training.learningRate()))
                .list();
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            if (!(layer instanceof LayerSpec.Flatten)) { // DL4J flattens by itself before a dense layer
                list.layer(layer(layer, l == spec.layers().size() - 1, training, -1));
            }
        }
        list.setInputType(InputType.convolutional(input.height(), input.width(), input.channels(), CNN2DFormat.NHWC));
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        return network;
    }

    /** DL4J's layer for one of ours; {@code fanIn} is its input size, or -1 for DL4J to infer it. */
    private static Layer layer(LayerSpec layer, boolean output, TrainingSpec training, int fanIn) {
        if (layer instanceof LayerSpec.Dense dense) {
            org.nd4j.linalg.activations.IActivation activation = Nd4jMapping.activation(dense.activation());
            if (output) {
                var builder = new OutputLayer.Builder(Nd4jMapping.loss(training.loss(), dense.units()));
                return (fanIn >= 0 ? builder.nIn(fanIn) : builder).nOut(dense.units()).activation(activation).build();
            }
            var builder = new DenseLayer.Builder();
            return (fanIn >= 0 ? builder.nIn(fanIn) : builder).nOut(dense.units()).activation(activation).build();
        }
        if (layer instanceof LayerSpec.Conv2d conv) {
            return new ConvolutionLayer.Builder(conv.kernel(), conv.kernel()).stride(conv.stride(), conv.stride())
                    .convolutionMode(mode(conv)).dataFormat(CNN2DFormat.NHWC).nOut(conv.filters())
                    .activation(Nd4jMapping.activation(conv.activation())).build();
        }
        if (layer instanceof LayerSpec.MaxPool2d pool) {
            return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(pool.size(), pool.size())
                    .stride(pool.stride(), pool.stride()).convolutionMode(mode(pool)).dataFormat(CNN2DFormat.NHWC)
                    .build();
        }
        if (layer instanceof LayerSpec.Dropout dropout) {
            return new DropoutLayer.Builder(1 - dropout.rate()).build();
        }
        throw new IllegalArgumentException("no DL4J layer for " + layer.type());
    }

    private static ConvolutionMode mode(LayerSpec.Windowed layer) {
        return layer.padding() == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
    }

    /**
     * Trains a bare MultiLayerNetwork with image layers for {@code epochs} epochs in mini-batches
     * (after one warm-up epoch) and returns training samples per second.
     */
    public static double convolutionalSamplesPerSecond(NetworkSpec spec, InputShape input, TrainingSpec training,
                                                       double[][] x, double[][] y, int epochs) {
        MultiLayerNetwork network = buildConvolutional(spec, input, training);
        int batch = training.batchSize() <= 0 ? x.length : training.batchSize();
        java.util.List<DataSet> batches = new java.util.ArrayList<>();
        for (int from = 0; from < x.length; from += batch) {
            int to = Math.min(x.length, from + batch);
            int first = from;
            // the images as the service's network sees them: grey levels / 255
            float[] features = ConvNetwork.gather(x, i -> first + i, to - from, 1f / InputShape.MAX_GREY_LEVEL);
            batches.add(new DataSet(org.nd4j.linalg.factory.Nd4j.createFromArray(features)
                    .reshape(to - from, input.height(), input.width(), input.channels()),
                    org.nd4j.linalg.factory.Nd4j.createFromArray(ConvNetwork.toFloat(
                            java.util.Arrays.copyOfRange(y, from, to)))));
        }
        batches.forEach(network::fit);
        long start = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            batches.forEach(network::fit);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!Double.isFinite(network.score())) {
            throw new IllegalStateException("the reference network diverged: " + network.score());
        }
        return (double) x.length * epochs / seconds;
    }
}
