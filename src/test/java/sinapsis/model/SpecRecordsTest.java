package sinapsis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec records refuse bad values, naming the field and the value. */
class SpecRecordsTest {
    @Test
    void aLayerNeedsAtLeastOneUnit() {
        assertThatThrownBy(() -> LayerSpec.dense(0, Activation.RELU))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("units");
                    assertThat(e.messageKey()).isEqualTo("error.range");
                    assertThat(e.arguments()).containsExactly(0, 1, LayerSpec.MAX_UNITS);
                });
    }

    @Test
    void trainingSettingsAreChecked() {
        TrainingSpec d = TrainingSpec.defaults();
        assertThatThrownBy(() -> new TrainingSpec(d.loss(), d.optimizer(), -0.5, 10, 0, true, 1, 0, false))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.learningRate"));
        assertThatThrownBy(() -> new TrainingSpec(d.loss(), d.optimizer(), Double.NaN, 10, 0, true, 1, 0, false))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.learningRate"));
        assertThatThrownBy(() -> new TrainingSpec(d.loss(), d.optimizer(), 0.1, 0, 0, true, 1, 0, false))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.epochs"));
        assertThatThrownBy(() -> new TrainingSpec(d.loss(), d.optimizer(), 0.1, 10, -1, true, 1, 0, false))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.batchSize"));
        assertThatThrownBy(() -> new TrainingSpec(d.loss(), d.optimizer(), 0.1, 10, 0, true, 1, 1.0, false))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.field()).isEqualTo("training.validationSplit"));
    }

    @Test
    void kerasSpellingsAreAccepted() {
        assertThat(LossKind.parse("f", "mean_squared_error")).isEqualTo(LossKind.MSE);
        assertThat(LossKind.parse("f", "categorical_crossentropy")).isEqualTo(LossKind.CROSSENTROPY);
        assertThat(LossKind.parse("f", "Huber")).isEqualTo(LossKind.HUBER);
        assertThat(OptimizerKind.parse("f", "Adam")).isEqualTo(OptimizerKind.ADAM);
        assertThat(OptimizerKind.parse("f", "RMSprop")).isEqualTo(OptimizerKind.RMSPROP);
        assertThat(Activation.parse("f", "LeakyReLU")).isEqualTo(Activation.LEAKY_RELU);
        assertThat(Activation.parse("f", "leaky_relu")).isEqualTo(Activation.LEAKY_RELU);
        assertThatThrownBy(() -> Activation.parse("network.layers[0].activation", "gelu"))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("network.layers[0].activation");
                    assertThat(e.arguments()).containsExactly("gelu");
                });
    }

    @Test
    void dataNeedsExactlyOneSourceAndSeparateColumns() {
        assertThatThrownBy(() -> new DataSpec(null, null, List.of(), List.of()))
                .hasFieldOrPropertyWithValue("messageKey", "error.noData");
        assertThatThrownBy(() -> new DataSpec("a,b\n1,2", "celsius", List.of(), List.of()))
                .hasFieldOrPropertyWithValue("messageKey", "error.csvAndDataset");
        assertThatThrownBy(() -> DataSpec.ofCsv("a,b\n1,2", List.of("a"), List.of("a")))
                .hasFieldOrPropertyWithValue("messageKey", "error.inputTargetOverlap");
    }

    @Test
    void limitsCountParametersAsKerasDoes() {
        NetworkSpec network = NetworkSpec.of(LayerSpec.dense(3, Activation.RELU), LayerSpec.dense(3, Activation.RELU),
                LayerSpec.dense(1, Activation.LINEAR));
        assertThat(network.parameterCount(1)).isEqualTo(6 + 12 + 4);
        Limits tiny = new Limits(100, 10, 10, 20, 100);
        assertThatThrownBy(() -> tiny.check(network, TrainingSpec.defaults().withEpochs(10), 1))
                .hasFieldOrPropertyWithValue("messageKey", "error.tooManyParameters");
        assertThatThrownBy(() -> tiny.check(NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                TrainingSpec.defaults().withEpochs(101), 1))
                .hasFieldOrPropertyWithValue("field", "training.epochs");
    }
}
