package sinapsis.model;

/**
 * What a network receives per example: an image of {@code height × width × channels} values, or
 * (height and width 0) a flat vector of {@code channels} values. Image values are grey levels
 * 0…{@value #MAX_GREY_LEVEL}; an image network divides them by {@value #MAX_GREY_LEVEL} itself,
 * as the notebook's {@code x / 255} (or a Keras {@code Rescaling} layer) does.
 */
public record InputShape(int height, int width, int channels) {
    public static final int MAX_GREY_LEVEL = 255;

    public InputShape {
        if (height < 0 || width < 0 || channels < 1 || (height == 0) != (width == 0)) {
            throw new IllegalArgumentException("not an input shape: " + height + "×" + width + "×" + channels);
        }
    }

    public static InputShape flat(int values) {
        return new InputShape(0, 0, values);
    }

    public static InputShape image(int height, int width, int channels) {
        return new InputShape(height, width, channels);
    }

    public boolean isImage() {
        return height > 0;
    }

    /** The number of values in one example. */
    public int size() {
        return isImage() ? height * width * channels : channels;
    }

    /** Keras's notation without the batch axis: {@code (28, 28, 1)} or {@code (3,)}. */
    public String keras() {
        return isImage() ? "(" + height + ", " + width + ", " + channels + ")" : "(" + channels + ",)";
    }
}
