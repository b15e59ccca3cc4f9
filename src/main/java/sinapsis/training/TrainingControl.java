package sinapsis.training;

/** How a trainer reports progress and learns it should stop (checked before every batch). */
public interface TrainingControl {
    void onEpoch(EpochStats stats);

    boolean shouldStop();

    /** Progress within an epoch, reported now and then by trainers whose epochs take long. */
    default void onBatch(BatchProgress progress) {
    }

    /** Early stopping ended the run after the last reported epoch. */
    default void onEarlyStop(EarlyStop stop) {
    }
}
