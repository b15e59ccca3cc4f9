package sinapsis.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LayerShapesTest {
    static final NetworkSpec COURSE_CNN = NetworkSpec.of(
            LayerSpec.conv2d(32, 3, 1, Padding.VALID, Activation.RELU),
            LayerSpec.maxPool2d(2, 2),
            LayerSpec.conv2d(64, 3, 1, Padding.VALID, Activation.RELU),
            LayerSpec.maxPool2d(2, 2),
            LayerSpec.conv2d(64, 3, 1, Padding.VALID, Activation.RELU),
            LayerSpec.flatten(),
            LayerSpec.dense(64, Activation.RELU),
            LayerSpec.dense(10, Activation.SOFTMAX));

    @Test
    void theCourseCnnHasKerasSummary() {
        LayerShapes shapes = LayerShapes.of(COURSE_CNN, InputShape.image(28, 28, 1));
        assertThat(shapes.rows()).extracting(LayerShapes.Row::name).containsExactly("conv2d", "max_pooling2d",
                "conv2d_1", "max_pooling2d_1", "conv2d_2", "flatten", "dense", "dense_1");
        assertThat(shapes.rows()).extracting(LayerShapes.Row::outputShape).containsExactly("(None, 26, 26, 32)",
                "(None, 13, 13, 32)", "(None, 11, 11, 64)", "(None, 5, 5, 64)", "(None, 3, 3, 64)", "(None, 576)",
                "(None, 64)", "(None, 10)");
        assertThat(shapes.rows()).extracting(LayerShapes.Row::parameters).containsExactly(320L, 0L, 18496L, 0L,
                36928L, 0L, 36928L, 650L);
        assertThat(shapes.totalParameters()).isEqualTo(93_322);
    }

    @Test
    void samePaddingAndStridesFollowKeras() {
        NetworkSpec network = NetworkSpec.of(LayerSpec.conv2d(4, 3, 2, Padding.SAME, Activation.RELU),
                LayerSpec.dropout(0.25), LayerSpec.flatten(), LayerSpec.dense(2, Activation.SOFTMAX));
        LayerShapes shapes = LayerShapes.of(network, InputShape.image(28, 28, 1));
        assertThat(shapes.rows().get(0).outputShape()).isEqualTo("(None, 14, 14, 4)");
        assertThat(shapes.rows().get(1).outputShape()).isEqualTo("(None, 14, 14, 4)");
        assertThat(shapes.rows().get(2).outputShape()).isEqualTo("(None, 784)");
    }

    @Test
    void aKernelLargerThanItsInputIsRefusedNamingTheLayerAndShapes() {
        NetworkSpec network = NetworkSpec.of(LayerSpec.conv2d(8, 3, 1, Padding.VALID, Activation.RELU),
                LayerSpec.maxPool2d(2, 2), LayerSpec.conv2d(8, 5, 1, Padding.VALID, Activation.RELU),
                LayerSpec.flatten(), LayerSpec.dense(2, Activation.SOFTMAX));
        assertThatThrownBy(() -> LayerShapes.of(network, InputShape.image(8, 8, 1)))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("network.layers[2]");
                    assertThat(e.messageKey()).isEqualTo("error.windowTooLarge");
                    assertThat(e.arguments()).containsExactly("Conv2D", "5×5", "(3, 3, 8)");
                });
    }

    @Test
    void layersMustFitWhatArrives() {
        assertThatThrownBy(() -> LayerShapes.of(NetworkSpec.of(LayerSpec.flatten(),
                LayerSpec.conv2d(8, 3, 1, Padding.VALID, Activation.RELU), LayerSpec.dense(2, Activation.SOFTMAX)),
                InputShape.image(28, 28, 1)))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo("network.layers[1].type");
                    assertThat(e.messageKey()).isEqualTo("error.spatialNeedsImage");
                });
        assertThatThrownBy(() -> LayerShapes.of(NetworkSpec.of(LayerSpec.dense(2, Activation.SOFTMAX)),
                InputShape.image(28, 28, 1)))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.messageKey()).isEqualTo("error.denseNeedsFlatten"));
        assertThatThrownBy(() -> new NetworkSpec(List.of(LayerSpec.dense(4, Activation.RELU), LayerSpec.flatten())))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.messageKey()).isEqualTo("error.lastLayerDense"));
    }

    @Test
    void layerRecordsRefuseBadValuesNamingTheField() {
        assertThatThrownBy(() -> LayerSpec.conv2d(0, 3, 1, Padding.VALID, Activation.RELU))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("filters"));
        assertThatThrownBy(() -> LayerSpec.dropout(1.0))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("rate"));
        assertThatThrownBy(() -> LayerSpec.maxPool2d(2, 0))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("stride"));
    }
}
