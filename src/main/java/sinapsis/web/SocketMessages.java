package sinapsis.web;

import com.fasterxml.jackson.databind.JsonNode;
import sinapsis.json.Json;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import java.util.Locale;

/**
 * What a viewer may send on any of the server's sockets, and the answers: {@code {"type": "ping"}}
 * gets {@code {"type": "pong"}}; anything else (not JSON, another type) gets an error in the
 * viewer's language and the socket stays open. A viewer that is gone before its answer is written
 * is simply dropped.
 */
final class SocketMessages {
    private SocketMessages() {
    }

    static void answer(WsMessageContext ctx, Locale locale) {
        answer(ctx, locale, message -> false);
    }

    /**
     * As {@link #answer(WsMessageContext, Locale)}, offering every other object to {@code handler}
     * first (true: it was the handler's; a refusal it throws is sent as an error naming its field).
     */
    static void answer(WsMessageContext ctx, Locale locale, java.util.function.Predicate<JsonNode> handler) {
        JsonNode message;
        try {
            message = Json.strictReader().readTree(ctx.message());
        } catch (Exception e) {
            message = null;
        }
        if (message == null || !message.isObject()) {
            send(ctx, error(locale, "error.malformedMessage"));
        } else if ("ping".equals(message.path("type").asText())) {
            send(ctx, "{\"type\":\"pong\"}");
        } else {
            try {
                if (!handler.test(message)) {
                    send(ctx, error(locale, "error.unknownMessage"));
                }
            } catch (sinapsis.model.InvalidSpecException e) {
                send(ctx, "{\"type\":\"error\",\"field\":" + new TextNode(e.field()) + ",\"message\":"
                        + new TextNode(Messages.get(locale, e.messageKey(), e.arguments().toArray())) + "}");
            }
        }
    }

    /** {@code {"type": "error", "message": …}} in the viewer's language. */
    static String error(Locale locale, String key, Object... arguments) {
        return "{\"type\":\"error\",\"message\":" + new TextNode(Messages.get(locale, key, arguments)) + "}";
    }

    /** Sends, or drops the message when the viewer has gone meanwhile (its close event cleans up). */
    static void send(WsContext ctx, String text) {
        try {
            ctx.send(text);
        } catch (Exception e) { // Javalin (Kotlin) lets Jetty's IOException through undeclared
            // closed under us: nothing to tell anyone
        }
    }
}
