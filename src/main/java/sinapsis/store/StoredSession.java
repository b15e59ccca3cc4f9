package sinapsis.store;

import java.util.List;
import sinapsis.model.Feature;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.training.TrainingResult;
import sinapsis.training.TrainingRun.Ending;

/**
 * A session as stored: who owns it (the hash of the owner token), its state, what it trains
 * (a built-in data set's id or null, the stored data's content hash, the columns, network and
 * settings, how many of the data's rows train: 0 for all) and its result, if it has one (without per-row predictions, which are recomputed).
 */
public record StoredSession(String id, String ownerHash, String name, Ending ending, String dataset,
                            String dataHash, List<String> inputs, List<String> targets, NetworkSpec network,
                            TrainingSpec training, String forkedFrom, long createdAt, long epochCount,
                            Double finalLoss, TrainingResult result, int trainingRows, List<Feature> features) {
    public StoredSession {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        features = features == null ? List.of() : List.copyOf(features);
    }

    /** A session whose inputs are the table's columns only. */
    public StoredSession(String id, String ownerHash, String name, Ending ending, String dataset, String dataHash,
                         List<String> inputs, List<String> targets, NetworkSpec network, TrainingSpec training,
                         String forkedFrom, long createdAt, long epochCount, Double finalLoss, TrainingResult result,
                         int trainingRows) {
        this(id, ownerHash, name, ending, dataset, dataHash, inputs, targets, network, training, forkedFrom, createdAt,
                epochCount, finalLoss, result, trainingRows, List.of());
    }

    /** The same session in another state, without history or result (a run about to start). */
    public StoredSession withEnding(Ending newEnding) {
        return new StoredSession(id, ownerHash, name, newEnding, dataset, dataHash, inputs, targets, network, training,
                forkedFrom, createdAt, 0, null, null, trainingRows, features);
    }

    public StoredSession withForkedFrom(String sourceId) {
        return new StoredSession(id, ownerHash, name, ending, dataset, dataHash, inputs, targets, network, training,
                sourceId, createdAt, epochCount, finalLoss, result, trainingRows, features);
    }
}
