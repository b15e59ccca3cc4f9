package sinapsis.training;

/**
 * How early stopping ended a run: the epoch it stopped after, the best epoch and its monitored
 * value, which value it watched, and whether the best epoch's weights were put back.
 */
public record EarlyStop(int stoppedEpoch, int bestEpoch, double bestValue, String monitor, boolean restoredBest) {
}
