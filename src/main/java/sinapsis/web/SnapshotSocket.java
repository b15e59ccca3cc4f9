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

/**
 * A WebSocket that sends the whole state of one thing ({@code {"type":"<type>","<type>":{…}}}, as
 * its {@code GET} gives it) whenever it changes, checked once per tick: a grid search
 * ({@code WS /ws/searches/{id}}, four times a second) or a class's board ({@code WS /ws/classes/{code}},
 * once a second: it reads the database). Their states are small, so every message carries all of it
 * and a viewer that reconnects needs nothing else.
 *
 * @param <T> what is watched
 */
final class SnapshotSocket<T> implements AutoCloseable {
    private final String type;
    private final java.util.function.BiFunction<WsContext, String, java.util.Optional<T>> find;
    private final java.util.function.Function<T, String> write;
    private final String notFoundKey;
    private final Map<WsContext, Viewer<T>> viewers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "search-socket-ticker");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Viewer<T> {
        final T watched;
        volatile String lastSent;
        final AtomicBoolean sending = new AtomicBoolean();

        Viewer(T watched) {
            this.watched = watched;
        }
    }

    /**
     * @param find        what the connection asks for (by its path parameter), if it exists and the
     *                    connection may see it
     * @param notFoundKey the message for anything else (closed with 4404)
     */
    SnapshotSocket(String type, java.util.function.BiFunction<WsContext, String, java.util.Optional<T>> find,
                   java.util.function.Function<T, String> write, String notFoundKey, java.time.Duration tick) {
        this.type = type;
        this.find = find;
        this.write = write;
        this.notFoundKey = notFoundKey;
        ticker.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
            T watched = find.apply(ctx, ctx.pathParam("id")).orElse(null);
            if (watched == null) {
                Locale locale = Languages.fromAcceptLanguage(ctx.header("Accept-Language"));
                SocketMessages.send(ctx, SocketMessages.error(locale, notFoundKey));
                ctx.closeSession(SessionSocket.CLOSE_NOT_FOUND, "not found");
                return;
            }
            viewers.put(ctx, new Viewer<>(watched));
        });
        ws.onMessage(ctx -> SocketMessages.answer(ctx, Languages.fromAcceptLanguage(ctx.header("Accept-Language"))));
        ws.onClose(ctx -> viewers.remove(ctx));
        ws.onError(ctx -> viewers.remove(ctx));
    }


    private void tick() {
        Map<T, String> states = new HashMap<>();
        for (Map.Entry<WsContext, Viewer<T>> entry : viewers.entrySet()) {
            WsContext ctx = entry.getKey();
            Viewer<T> viewer = entry.getValue();
            if (!ctx.session.isOpen()) {
                viewers.remove(ctx);
                continue;
            }
            String state = states.computeIfAbsent(viewer.watched,
                    w -> "{\"type\":\"" + type + "\",\"" + type + "\":" + write.apply(w) + "}");
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
