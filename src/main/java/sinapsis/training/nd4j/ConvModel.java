package sinapsis.training.nd4j;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import sinapsis.training.LayerWeights;
import sinapsis.training.TrainedModel;

/** A trained {@link ConvNetwork}: predicts in batches; calls are serialised (the graph is not thread-safe). */
final class ConvModel implements TrainedModel {
    private final ConvNetwork network;
    private final List<LayerWeights> weights;

    ConvModel(ConvNetwork network) {
        this.network = network;
        this.weights = network.weights();
    }

    @Override
    public synchronized double[][] predict(double[][] inputs) {
        int outputs = network.outputSize();
        double[][] predictions = new double[inputs.length][];
        for (int from = 0; from < inputs.length; from += ConvTrainer.EVALUATION_BATCH) {
            int rows = Math.min(ConvTrainer.EVALUATION_BATCH, inputs.length - from);
            INDArray batch = network.images(inputs, from, rows);
            INDArray probabilities = network.predict(batch);
            double[][] out = probabilities.reshape(rows, outputs).castTo(DataType.DOUBLE).toDoubleMatrix();
            ConvTrainer.release(batch, probabilities);
            System.arraycopy(out, 0, predictions, from, rows);
        }
        return predictions;
    }

    @Override
    public List<LayerWeights> weights() {
        return weights;
    }
}
