package sinapsis.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.model.EarlyStopping;
import sinapsis.model.EarlyStopping.Monitor;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.LossKind;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.training.EarlyStopper.Verdict;

/** Keras's EarlyStopping rule, checked on hand-made loss sequences. */
class EarlyStopperTest {
    private static List<Verdict> verdicts(EarlyStopping settings, double... losses) {
        EarlyStopper stopper = new EarlyStopper(settings);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            verdicts.add(stopper.observe(new EpochStats(i + 1, losses[i], null, null, null)));
        }
        return verdicts;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementBeyondMinDelta() {
        // 0.995 is below the best (1.0) but not by more than min_delta 0.01: it does not count
        assertThat(verdicts(new EarlyStopping(Monitor.LOSS, 2, 0.01, false), 1.0, 0.5, 0.495, 0.499, 0.3))
                .containsExactly(Verdict.IMPROVED, Verdict.IMPROVED, Verdict.WAIT, Verdict.STOP, Verdict.IMPROVED);
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochThatDoesNotImproveButNeverAtTheFirstEpoch() {
        assertThat(verdicts(new EarlyStopping(Monitor.LOSS, 0, 0, false), 5, 4, 4))
                .containsExactly(Verdict.IMPROVED, Verdict.IMPROVED, Verdict.STOP);
    }

    @Test
    void remembersTheBestEpochAndValue() {
        EarlyStopper stopper = new EarlyStopper(new EarlyStopping(Monitor.VAL_LOSS, 3, 0, true));
        double[] valLosses = {3, 2, 2.5, 1.5, 1.7};
        for (int i = 0; i < valLosses.length; i++) {
            stopper.observe(new EpochStats(i + 1, 100, valLosses[i], null, null));
        }
        assertThat(stopper.bestEpoch()).isEqualTo(4);
        assertThat(stopper.best()).isEqualTo(1.5);
    }

    @Test
    void settingsRefuseBadValuesNamingTheField() {
        assertThatThrownBy(() -> new EarlyStopping(Monitor.LOSS, -1, 0, false))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.earlyStopping.patience"));
        assertThatThrownBy(() -> new EarlyStopping(Monitor.LOSS, 3, Double.NaN, false))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.earlyStopping.minDelta"));
        assertThatThrownBy(() -> Monitor.parse("training.earlyStopping.monitor", "accuracy"))
                .isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> new TrainingSpec(LossKind.MSE, OptimizerKind.ADAM, 0.1, 10, 0, true, 1, 0, false,
                new EarlyStopping(Monitor.VAL_LOSS, 3, 0, false)))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.earlyStopping.monitor"));
    }
}
