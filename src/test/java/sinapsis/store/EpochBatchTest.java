package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sinapsis.training.EpochEvent;

/** A stored row of epochs: what goes in comes out, bit for bit and in order. */
class EpochBatchTest {
    private static Map<String, Double> ordered(Object... namesAndValues) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            metrics.put((String) namesAndValues[i], (Double) namesAndValues[i + 1]);
        }
        return metrics;
    }

    @Test
    void epochsComeBackExactlyWithTheirMetricsInTheirOrder() {
        List<EpochEvent> events = List.of(
                new EpochEvent(7, 3, 0.1 + 0.2, null, Map.of()),
                new EpochEvent(8, 3, 4.9e-324, -0.0, ordered("val_accuracy", 0.25, "accuracy", 0.5)),
                new EpochEvent(9, 4, 1.7976931348623157e308, Double.NaN, ordered("accuracy", Double.NaN, "w", -1e150,
                        "años", 2.0)));

        List<EpochEvent> decoded = EpochBatch.decode(EpochBatch.encode(events));

        assertThat(decoded).isEqualTo(events);
        assertThat(decoded.get(1).metrics().keySet()).containsExactly("val_accuracy", "accuracy");
        assertThat(decoded.get(2).metrics().keySet()).containsExactly("accuracy", "w", "años");
        assertThat(Double.doubleToRawLongBits(decoded.get(1).valLoss())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(decoded.get(0).valLoss()).as("none, not NaN").isNull();
        assertThat(decoded.get(2).valLoss()).isNaN();
    }

    @Test
    void aReaderAfterASeqGetsOnlyTheLaterEpochs() {
        List<EpochEvent> events = new ArrayList<>();
        for (long seq = 1; seq <= 10; seq++) {
            events.add(new EpochEvent(seq, (int) seq, seq, null, Map.of("accuracy", seq / 10.0)));
        }
        byte[] row = EpochBatch.encode(events);

        assertThat(EpochBatch.decode(row, 7)).isEqualTo(events.subList(7, 10));
        assertThat(EpochBatch.decode(row, 10)).isEmpty();
        EpochBatch.Losses losses = EpochBatch.losses(row);
        assertThat(losses.seqs()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(losses.losses()).containsExactly(Arrays.stream(losses.seqs()).asDoubleStream().toArray());
    }

    @Test
    void bytesThatAreNotABatchAreRefusedWithAMessage() {
        byte[] row = EpochBatch.encode(List.of(new EpochEvent(1, 1, 0.5, 0.25, Map.of("accuracy", 1.0))));

        assertThatThrownBy(() -> EpochBatch.decode(Arrays.copyOf(row, row.length - 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not readable");
        assertThatThrownBy(() -> EpochBatch.losses(Arrays.copyOf(row, 20)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not readable");
        byte[] otherVersion = row.clone();
        otherVersion[3] = 9;
        assertThatThrownBy(() -> EpochBatch.decode(otherVersion)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> EpochBatch.encode(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("events");
    }
}
