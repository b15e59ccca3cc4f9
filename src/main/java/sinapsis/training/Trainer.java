package sinapsis.training;

/** Trains a network epoch by epoch, reporting each epoch and checking for a stop between epochs. */
public interface Trainer {
    TrainedModel train(TrainingJob job, TrainingControl control);

    /** Which backend and device compute, e.g. "CPU" and "x86_64, 2 cores". */
    BackendInfo backend();
}
