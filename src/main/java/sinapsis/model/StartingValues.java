package sinapsis.model;

import java.util.Map;

/**
 * What the editor starts from where a person has not said: the training settings of a spec that
 * leaves them out, the early stopping offered when its box is ticked, and a
 * new layer of each kind. The page reads them from {@code GET /api/defaults}, so they live here only.
 */
public final class StartingValues {
    private StartingValues() {
    }

    public static TrainingSpec training() {
        return TrainingSpec.defaults();
    }

    /** EarlyStopping(monitor="loss", patience=7, min_delta=1e-4): it works with or without a validation split. */
    public static EarlyStopping earlyStopping() {
        return new EarlyStopping(EarlyStopping.Monitor.LOSS, 7, 0.0001, false);
    }

    /** A new layer of each kind: a small hidden layer, the notebook's 3×3 convolution and 2×2 pooling. */
    public static Map<LayerType, LayerSpec> newLayers() {
        return orderedByKind(Map.of(
                LayerType.DENSE, LayerSpec.dense(3, Activation.RELU),
                LayerType.CONV2D, LayerSpec.conv2d(32, 3, 1, Padding.VALID, Activation.RELU),
                LayerType.MAXPOOL2D, LayerSpec.maxPool2d(2, 2),
                LayerType.FLATTEN, LayerSpec.flatten(),
                LayerType.DROPOUT, LayerSpec.dropout(0.25)));
    }

    /** In the kinds' order (a {@code Map.of} iterates in an order that changes from one run to the next). */
    private static Map<LayerType, LayerSpec> orderedByKind(Map<LayerType, LayerSpec> layers) {
        return java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(layers));
    }
}
