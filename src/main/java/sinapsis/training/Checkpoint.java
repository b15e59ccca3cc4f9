package sinapsis.training;

/**
 * Where a run stood after an epoch, complete enough to go on from there on any node: the epochs
 * done and the trainer's own state (parameters, the optimizer's moments and step, the random that
 * orders batches and draws dropout, early stopping's record), in a form only the trainer reads.
 * A run resumed from a checkpoint trains exactly the epochs the uninterrupted run would have.
 */
public record Checkpoint(int epoch, byte[] state) {
    public Checkpoint {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be at least 1, found " + epoch);
        }
        if (state == null || state.length == 0) {
            throw new IllegalArgumentException("state must not be empty");
        }
    }
}
