package sinapsis.training;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One epoch as streamed and stored: a sequence number (1, 2, …), the losses and Keras-named
 * metrics, in the order they were given (the order every answer lists them in).
 */
public record EpochEvent(long seq, int epoch, double loss, Double valLoss, Map<String, Double> metrics) {
    public EpochEvent {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
