package sinapsis.model;

import java.util.List;

/** An ordered list of Dense layers; the last one is the output layer. */
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
    }

    public static NetworkSpec of(LayerSpec... layers) {
        return new NetworkSpec(List.of(layers));
    }

    public LayerSpec output() {
        return layers.get(layers.size() - 1);
    }

    public long parameterCount(int inputs) {
        long total = 0;
        int fanIn = inputs;
        for (LayerSpec layer : layers) {
            total += layer.parameterCount(fanIn);
            fanIn = layer.units();
        }
        return total;
    }
}
