package sinapsis.training;

import sinapsis.model.EarlyStopping;

/**
 * Keras's early-stopping rule, epoch by epoch: an epoch improves when the monitored loss is below
 * the best so far by more than {@code minDelta}; after {@code patience} epochs in a row without
 * improvement (and never on the first epoch) training stops. Not thread-safe: one per run.
 */
public final class EarlyStopper {
    private final EarlyStopping settings;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int wait;

    /** What one epoch means for the run. */
    public enum Verdict { IMPROVED, WAIT, STOP }

    public EarlyStopper(EarlyStopping settings) {
        this.settings = settings;
    }

    public Verdict observe(EpochStats stats) {
        Double value = settings.monitor() == EarlyStopping.Monitor.LOSS ? stats.loss() : stats.valLoss();
        if (value == null) {
            throw new IllegalStateException("early stopping monitors " + settings.monitor() + ", which this run lacks");
        }
        wait++;
        if (value + settings.minDelta() < best) {
            best = value;
            bestEpoch = stats.epoch();
            wait = 0;
            return Verdict.IMPROVED;
        }
        return wait >= settings.patience() && stats.epoch() > 1 ? Verdict.STOP : Verdict.WAIT;
    }

    /** Its record so far, to go on with after a checkpoint. */
    public record State(double best, int bestEpoch, int epochsWithout) {
    }

    public State state() {
        return new State(best, bestEpoch, wait);
    }

    /** Takes up a record {@link #state()} gave. */
    public void restore(State state) {
        this.best = state.best();
        this.bestEpoch = state.bestEpoch();
        this.wait = state.epochsWithout();
    }

    public EarlyStopping settings() {
        return settings;
    }

    /** The epoch with the best monitored value so far (1-based), 0 before the first. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }
}
