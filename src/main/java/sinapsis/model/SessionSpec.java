package sinapsis.model;

/** Everything needed to train: the data, the network and the training settings. */
public record SessionSpec(DataSpec data, NetworkSpec network, TrainingSpec training) {
    public SessionSpec {
        Checks.required("data", data);
        Checks.required("network", network);
        Checks.required("training", training);
    }
}
