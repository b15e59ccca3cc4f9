package sinapsis.model;

import java.util.List;

/** An ordered list of layers; the last one, a Dense layer, is the output layer. */
public record NetworkSpec(List<LayerSpec> layers) {
    public static final int MAX_LAYERS = 32;

    public NetworkSpec {
        Checks.required("network.layers", layers);
        if (layers.isEmpty()) {
            throw new InvalidSpecException("network.layers", "error.noLayers");
        }
        if (layers.size() > MAX_LAYERS) {
            throw new InvalidSpecException("network.layers", "error.tooManyLayers", layers.size(), MAX_LAYERS);
        }
        layers = List.copyOf(layers);
        if (!layers.get(layers.size() - 1).isDense()) {
            throw new InvalidSpecException("network.layers[" + (layers.size() - 1) + "].type", "error.lastLayerDense",
                    layers.get(layers.size() - 1).type().id());
        }
    }

    public static NetworkSpec of(LayerSpec... layers) {
        return new NetworkSpec(List.of(layers));
    }

    /** The output layer. */
    public LayerSpec.Dense output() {
        return (LayerSpec.Dense) layers.get(layers.size() - 1);
    }

    /** The layers of a network without image layers (see {@link #hasImageLayers()}). */
    public List<LayerSpec.Dense> denseLayers() {
        if (hasImageLayers()) {
            throw new IllegalStateException("the network has image layers");
        }
        return layers.stream().map(LayerSpec.Dense.class::cast).toList();
    }

    public long parameterCount(int inputs) {
        return parameterCount(InputShape.flat(inputs));
    }

    public long parameterCount(InputShape input) {
        return LayerShapes.of(this, input).totalParameters();
    }

    /** Whether any layer is not Dense (convolution, pooling, flatten, dropout). */
    public boolean hasImageLayers() {
        return layers.stream().anyMatch(layer -> !layer.isDense());
    }
}
