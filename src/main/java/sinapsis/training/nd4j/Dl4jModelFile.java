package sinapsis.training.nd4j;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.factory.Nd4j;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.training.LayerWeights;

/**
 * Trained parameters as a DL4J {@link MultiLayerNetwork} file: the same layers (Dense, then an
 * OutputLayer with the run's loss), the learned weights copied in, written by DL4J's own
 * {@link ModelSerializer}, so {@code MultiLayerNetwork.load(file, false)} reads it back.
 */
final class Dl4jModelFile {
    private Dl4jModelFile() {
    }

    static MultiLayerNetwork network(NetworkSpec spec, TrainingSpec training, int inputs, List<LayerWeights> weights) {
        DenseNetwork.requireOnePerLayer(spec, weights);
        MultiLayerNetwork network = MultiLayerNetworks.build(spec, inputs, training, spec.output().units());
        for (int l = 0; l < weights.size(); l++) {
            LayerWeights layer = weights.get(l);
            network.getLayer(l).setParam("W", Nd4j.create(layer.weights()).castTo(DenseNetwork.DTYPE));
            network.getLayer(l).setParam("b",
                    Nd4j.create(layer.biases()).reshape(1, layer.biases().length).castTo(DenseNetwork.DTYPE));
        }
        return network;
    }

    static void write(NetworkSpec spec, TrainingSpec training, int inputs, List<LayerWeights> weights,
                      OutputStream out) throws IOException {
        ModelSerializer.writeModel(network(spec, training, inputs, weights), out, false);
    }
}
