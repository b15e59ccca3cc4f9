package sinapsis.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import sinapsis.model.LayerSpec;

/**
 * The one Jackson mapper of the application: the API, the sockets and the store bind with it.
 * The {@code model} package stays free of Jackson: what its records need (which kind of layer a
 * JSON object is) is said here, in mix-ins.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // the store keeps metrics that can be NaN or infinite (a diverged run)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // rows written by older versions may carry fields a record no longer has
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(LayerSpec.class, LayerSpecMixIn.class)
            .build();
    private static final ObjectReader STRICT = MAPPER.reader().without(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A reader for what clients send: standard JSON only ({@code NaN} is not a number there). */
    public static ObjectReader strictReader() {
        return STRICT;
    }

    /**
     * A layer is an object whose {@code type} names its kind ({@code DENSE}, {@code CONV2D}, …);
     * rows stored before there were other kinds have no type and are Dense layers.
     */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type",
            defaultImpl = LayerSpec.Dense.class)
    @JsonSubTypes({
        @JsonSubTypes.Type(value = LayerSpec.Dense.class, name = "DENSE"),
        @JsonSubTypes.Type(value = LayerSpec.Conv2d.class, name = "CONV2D"),
        @JsonSubTypes.Type(value = LayerSpec.MaxPool2d.class, name = "MAXPOOL2D"),
        @JsonSubTypes.Type(value = LayerSpec.Flatten.class, name = "FLATTEN"),
        @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "DROPOUT")})
    abstract static class LayerSpecMixIn {
        @JsonIgnore
        abstract boolean isDense();
    }
}
