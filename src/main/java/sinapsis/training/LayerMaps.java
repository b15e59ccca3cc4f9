package sinapsis.training;

import java.util.List;

/**
 * What one convolution or pooling layer of an image network computes for one image: its Keras
 * type, its output's height, width and channels, and the first channels' maps (row by row).
 */
public record LayerMaps(int layer, String type, int height, int width, int channels, List<float[]> maps) {
    public LayerMaps {
        maps = List.copyOf(maps);
    }
}
