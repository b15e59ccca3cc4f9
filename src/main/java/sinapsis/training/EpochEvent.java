package sinapsis.training;

import java.util.Map;

/** One epoch as streamed and stored: a sequence number (1, 2, …), the losses and Keras-named metrics. */
public record EpochEvent(long seq, int epoch, double loss, Double valLoss, Map<String, Double> metrics) {
    public EpochEvent {
        metrics = Map.copyOf(metrics);
    }
}
