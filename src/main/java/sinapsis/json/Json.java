package sinapsis.json;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.LayerSpec;
import sinapsis.training.BatchProgress;
import sinapsis.training.EpochEvent;

/**
 * The one Jackson mapper of the application: the API, the sockets and the store bind with it.
 * The {@code model} package stays free of Jackson: what its records need (which kind of layer a
 * JSON object is) is said here, in mix-ins.
 */
public final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            // the store keeps metrics that can be NaN or infinite (a diverged run)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // rows written by older versions may carry fields a record no longer has
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addMixIn(LayerSpec.class, LayerSpecMixIn.class)
            .addMixIn(EpochEvent.class, OmitNulls.class)
            .addMixIn(BatchProgress.class, OmitNulls.class)
            .build();
    private static final ObjectReader STRICT = MAPPER.reader().without(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS);
    /** For requests bound to records: a number is not a text, nor a text a number or a boolean. */
    private static final ObjectMapper REQUESTS = MAPPER.rebuild()
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

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
     * A request body bound to {@code type}, every fault refused as the API's field-naming error: the
     * JSON path of the field ({@code settings.locked[0]}) and what was expected there. A body that is
     * not JSON at all is {@code null}: the caller says so in its own words.
     *
     * @param refuseUnknown whether a field the type does not have is refused (naming it) or ignored
     */
    public static <T> T bind(byte[] body, Class<T> type, boolean refuseUnknown) throws JsonProcessingException {
        ObjectReader reader = REQUESTS.readerFor(type);
        reader = refuseUnknown ? reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                : reader.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try {
            return reader.readValue(body);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidSpecException(path(e), "error.unknownField", e.getPropertyName());
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                throw e; // the body itself is not an object
            }
            throw new InvalidSpecException(path(e), expected(e.getTargetType()), shown(body, e));
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    /** {@code settings.locked[0]}: the field names and indexes of a Jackson error's path. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                path.append('[').append(step.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "error.notObject";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum()) {
            return "error.notText";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "error.notBoolean";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "error.notInteger";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "error.notNumber";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "error.notList";
        }
        return "error.notObject";
    }

    /** The value that was refused, as {@link SpecJson} echoes one: a number as the reader writes it, else as JSON. */
    private static Object shown(byte[] body, JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            pointer.append('/').append(step.getFieldName() != null
                    ? step.getFieldName().replace("~", "~0").replace("/", "~1") : String.valueOf(step.getIndex()));
        }
        try {
            JsonNode value = MAPPER.readTree(body).at(pointer.toString());
            return value.isNumber() ? value.decimalValue() : value.toString();
        } catch (java.io.IOException unreadable) {
            return "";
        }
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

    /** An epoch without validation has no {@code valLoss}, a batch no {@code accuracy}: left out, not null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract static class OmitNulls {
    }
}
