package sinapsis.model;

/** The kinds of layer a network may have, named as in the API and in Keras ({@code conv2d} is {@code Conv2D}). */
public enum LayerType {
    DENSE("dense", "Dense"), CONV2D("conv2d", "Conv2D"), MAXPOOL2D("maxpool2d", "MaxPooling2D"),
    FLATTEN("flatten", "Flatten"), DROPOUT("dropout", "Dropout");

    private final String id;
    private final String kerasName;

    LayerType(String id, String kerasName) {
        this.id = id;
        this.kerasName = kerasName;
    }

    public String id() {
        return id;
    }

    /** The class name Keras's summary shows, e.g. {@code MaxPooling2D}. */
    public String kerasName() {
        return kerasName;
    }

    /** Whether the layer works on images (height × width × channels) rather than on a flat vector. */
    public boolean spatial() {
        return this == CONV2D || this == MAXPOOL2D;
    }

    /** Parses our names and Keras's ({@code Conv2D}, {@code MaxPooling2D}, {@code max_pooling2d}). */
    public static LayerType parse(String field, String text) {
        String key = Names.normalise(text);
        for (LayerType type : values()) {
            if (type.id.equals(key) || Names.normalise(type.kerasName).equals(key)) {
                return type;
            }
        }
        throw new InvalidSpecException(field, "error.unknownLayerType", text);
    }
}
