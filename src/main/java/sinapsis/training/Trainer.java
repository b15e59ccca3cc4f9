package sinapsis.training;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import sinapsis.model.InputShape;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * Trains a network epoch by epoch, reporting each epoch (and a long one now and then, batch by
 * batch) and checking for a stop before every batch.
 */
public interface Trainer {
    TrainedModel train(TrainingJob job, TrainingControl control);

    /**
     * Gradient descent one step at a time: starts from the job's seeded initial parameters, takes
     * {@code step} steps on the whole training set and reports the last one (step 0: the start).
     */
    GradientStep step(TrainingJob job, int step);

    /** A model from stored parameters, as {@link TrainedModel#weights()} gave them. */
    TrainedModel restore(NetworkSpec network, TrainingSpec training, InputShape input, List<LayerWeights> weights);

    /**
     * The model as it stood at a checkpoint this trainer left (for a run another node trains), or
     * null when this trainer leaves none.
     */
    default TrainedModel restore(NetworkSpec network, InputShape input, Checkpoint checkpoint) {
        return null;
    }

    /**
     * Writes the network in the library's own file format (for ND4J: a DL4J
     * {@code MultiLayerNetwork} zip that {@code MultiLayerNetwork.load} reads).
     */
    void writeModel(NetworkSpec network, TrainingSpec training, int inputs, List<LayerWeights> weights,
                    OutputStream out) throws IOException;

    /** Which backend and device compute, e.g. "CPU" and "x86_64, 2 cores". */
    BackendInfo backend();
}
