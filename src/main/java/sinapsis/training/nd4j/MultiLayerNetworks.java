package sinapsis.training.nd4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
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
}
