package sinapsis.web;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.WriteCallback;
import sinapsis.search.GridSearch;
import sinapsis.search.SearchService;

/**
 * {@code WS /ws/searches/{id}}: a search's whole state ({@code {"type":"search","search":{…}}}, as
 * {@code GET /api/searches/{id}} gives it), sent when it changes, at most four times a second. A
 * search's state is small (a row and a thinned curve per combination), so every message carries
 * all of it and a viewer that reconnects needs nothing else.
 */
final class SearchSocket implements AutoCloseable {
    static final long TICK_MILLIS = 250;
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final SearchService searches;
    private final SearchJson views;
    private final Map<WsContext, Viewer> viewers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "search-socket-ticker");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Viewer {
        final GridSearch search;
        volatile String lastSent;
        final AtomicBoolean sending = new AtomicBoolean();

        Viewer(GridSearch search) {
            this.search = search;
        }
    }

    SearchSocket(SearchService searches, SearchJson views) {
        this.searches = searches;
        this.views = views;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
            GridSearch search = searches.find(ctx.pathParam("id")).orElse(null);
            if (search == null) {
                Locale locale = Languages.fromAcceptLanguage(ctx.header("Accept-Language"));
                ctx.send("{\"type\":\"error\",\"message\":" + quoted(Messages.get(locale, "error.searchNotFound")) + "}");
                ctx.closeSession(SessionSocket.CLOSE_NOT_FOUND, "not found");
                return;
            }
            viewers.put(ctx, new Viewer(search));
        });
        ws.onMessage(ctx -> {
            // the only message a viewer sends is a keep-alive ping; anything else gets an error, and the socket stays
            com.fasterxml.jackson.databind.JsonNode message;
            try {
                message = MAPPER.readTree(ctx.message());
            } catch (Exception e) {
                message = null;
            }
            if (message != null && "ping".equals(message.path("type").asText())) {
                ctx.send("{\"type\":\"pong\"}");
            } else {
                Locale locale = Languages.fromAcceptLanguage(ctx.header("Accept-Language"));
                ctx.send("{\"type\":\"error\",\"message\":" + quoted(Messages.get(locale,
                        message == null ? "error.malformedMessage" : "error.unknownMessage")) + "}");
            }
        });
        ws.onClose(ctx -> viewers.remove(ctx));
        ws.onError(ctx -> viewers.remove(ctx));
    }

    private static String quoted(String text) {
        return new com.fasterxml.jackson.databind.node.TextNode(text).toString();
    }

    private void tick() {
        Map<GridSearch, String> states = new HashMap<>();
        for (Map.Entry<WsContext, Viewer> entry : viewers.entrySet()) {
            WsContext ctx = entry.getKey();
            Viewer viewer = entry.getValue();
            if (!ctx.session.isOpen()) {
                viewers.remove(ctx);
                continue;
            }
            String state = states.computeIfAbsent(viewer.search,
                    s -> "{\"type\":\"search\",\"search\":" + views.write(s) + "}");
            if (state.equals(viewer.lastSent) || !viewer.sending.compareAndSet(false, true)) {
                continue;
            }
            try {
                ctx.session.getRemote().sendString(state, new WriteCallback() {
                    @Override
                    public void writeSuccess() {
                        viewer.lastSent = state;
                        viewer.sending.set(false);
                    }

                    @Override
                    public void writeFailed(Throwable failure) {
                        viewers.remove(ctx);
                    }
                });
            } catch (RuntimeException e) {
                viewers.remove(ctx);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
