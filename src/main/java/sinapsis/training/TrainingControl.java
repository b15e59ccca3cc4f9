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

    /** Whether it wants the model as it stands after the epoch just reported (the live views). */
    default boolean wantsModel() {
        return false;
    }

    /** The model after the epoch just reported, a copy that training no longer changes. */
    default void onModel(TrainedModel now) {
    }

    /** Whether it wants a checkpoint after the epoch just reported (to go on elsewhere should this node die). */
    default boolean wantsCheckpoint() {
        return false;
    }

    /** The run's checkpoint after the epoch just reported. */
    default void onCheckpoint(Checkpoint checkpoint) {
    }

    /** Where training starts: after this checkpoint's epoch, or (null) from the seeded start. */
    default Checkpoint resumeFrom() {
        return null;
    }

    /** After an epoch and its model: where a run may wait (paused, paced) before the next one. */
    default void afterEpoch() {
    }
}
