package sinapsis.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import sinapsis.json.Json;

/**
 * Request bodies, read with a cap so that a huge body (chunked or not) is refused, not buffered:
 * a JSON object, or a 400 saying it is not one; a 413 past the cap.
 */
final class Bodies {
    private final long maxBytes;

    Bodies(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /**
     * The body bound to a request record, each fault the API's error naming its field (see
     * {@link Json#bind}).
     *
     * @param refuseUnknown whether a field the record does not have is refused or ignored
     */
    <T> T as(Context ctx, Class<T> type, boolean refuseUnknown) {
        T value;
        try {
            value = Json.bind(bytes(ctx), type, refuseUnknown);
        } catch (java.io.IOException e) {
            value = null;
        }
        if (value == null) { // not JSON, not an object, or null
            throw new ApiError(400, null, "error.malformedJson");
        }
        return value;
    }

    private byte[] bytes(Context ctx) {
        byte[] bytes;
        try {
            bytes = ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (java.io.IOException e) {
            throw new ApiError(400, null, "error.malformedJson");
        }
        if (bytes.length > maxBytes) {
            throw new ApiError(413, "data.csv", "error.bodyTooLarge", maxBytes);
        }
        return bytes;
    }

    JsonNode object(Context ctx) {
        byte[] bytes = bytes(ctx);
        try {
            JsonNode node = Json.strictReader().readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new ApiError(400, null, "error.malformedJson");
            }
            return node;
        } catch (java.io.IOException e) {
            throw new ApiError(400, null, "error.malformedJson");
        }
    }

    /** The JSON object of the body, or null when there is no body. */
    JsonNode optionalObject(Context ctx) {
        String length = ctx.header("Content-Length");
        if ("0".equals(length) || (length == null && ctx.header("Transfer-Encoding") == null)) {
            return null;
        }
        return object(ctx);
    }
}
