package sinapsis.training.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import sinapsis.model.EarlyStopping;
import sinapsis.training.EarlyStop;
import sinapsis.training.EarlyStopper;
import sinapsis.training.EpochStats;
import sinapsis.training.TrainingControl;

/**
 * Keras's EarlyStopping applied to a run whose parameters live in one flat array: it keeps a copy
 * of the best epoch's parameters when asked to restore them, and puts them back when it stops.
 */
final class EarlyStopRule {
    private final EarlyStopper stopper;
    private final INDArray params;
    private final INDArray best;

    /** A rule for the settings, or null when the run has none. */
    static EarlyStopRule of(EarlyStopping settings, INDArray params) {
        return settings == null ? null : new EarlyStopRule(new EarlyStopper(settings), params);
    }

    private EarlyStopRule(EarlyStopper stopper, INDArray params) {
        this.stopper = stopper;
        this.params = params;
        this.best = stopper.settings().restoreBestWeights() ? params.dup() : null;
    }

    /** Applies the rule to an epoch; true when training ends here (the control has been told). */
    boolean stopsAfter(EpochStats stats, TrainingControl control) {
        switch (stopper.observe(stats)) {
            case IMPROVED -> {
                if (best != null) {
                    best.assign(params);
                }
                return false;
            }
            case STOP -> {
                if (best != null) {
                    params.assign(best);
                }
                control.onEarlyStop(new EarlyStop(stats.epoch(), stopper.bestEpoch(), stopper.best(),
                        stopper.settings().monitor().id(), best != null));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** The rule's record, for a checkpoint. */
    EarlyStopper.State state() {
        return stopper.state();
    }

    /** The best epoch's parameters it keeps (restoring them at the stop), or null when it keeps none. */
    INDArray bestParams() {
        return best;
    }

    /** Takes up a checkpoint's record ({@link #bestParams()} is filled by the caller). */
    void restore(EarlyStopper.State state) {
        stopper.restore(state);
    }

    /** Frees the best parameters' copy now (megabytes off the heap for an image network). */
    void release() {
        if (best != null && best.closeable()) {
            best.close();
        }
    }
}
