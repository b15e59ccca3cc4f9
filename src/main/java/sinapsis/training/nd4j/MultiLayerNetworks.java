package sinapsis.training.nd4j;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
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
                .list();
        int fanIn = inputs;
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            if (l == spec.layers().size() - 1) {
                list.layer(new OutputLayer.Builder(Nd4jMapping.loss(training.loss(), outputs)).nIn(fanIn)
                        .nOut(layer.units()).activation(Nd4jMapping.activation(layer.activation())).build());
            } else {
                list.layer(new DenseLayer.Builder().nIn(fanIn).nOut(layer.units())
                        .activation(Nd4jMapping.activation(layer.activation())).build());
            }
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
            ConvolutionMode mode = layer.padding() == Padding.SAME ? ConvolutionMode.Same : ConvolutionMode.Truncate;
            switch (layer.type()) {
                case CONV2D -> list.layer(new ConvolutionLayer.Builder(layer.kernel(), layer.kernel())
                        .stride(layer.stride(), layer.stride()).convolutionMode(mode).dataFormat(CNN2DFormat.NHWC)
                        .nOut(layer.filters()).activation(Nd4jMapping.activation(layer.activation())).build());
                case MAXPOOL2D -> list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(layer.size(), layer.size()).stride(layer.stride(), layer.stride())
                        .convolutionMode(mode).dataFormat(CNN2DFormat.NHWC).build());
                case FLATTEN -> {
                    // DL4J flattens by itself before a dense layer
                }
                case DROPOUT -> list.layer(new DropoutLayer.Builder(1 - layer.rate()).build());
                case DENSE -> {
                    if (l == spec.layers().size() - 1) {
                        list.layer(new OutputLayer.Builder(Nd4jMapping.loss(training.loss(), layer.units()))
                                .nOut(layer.units()).activation(Nd4jMapping.activation(layer.activation())).build());
                    } else {
                        list.layer(new DenseLayer.Builder().nOut(layer.units())
                                .activation(Nd4jMapping.activation(layer.activation())).build());
                    }
                }
            }
        }
        list.setInputType(InputType.convolutional(input.height(), input.width(), input.channels(), CNN2DFormat.NHWC));
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        return network;
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
