package sinapsis.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.training.BatchProgress;
import sinapsis.training.EpochEvent;
import sinapsis.training.TrainingRun;
import sinapsis.model.InvalidSpecException;
import sinapsis.surface.LiveFrame;
import sinapsis.surface.SurfaceRequest;

/**
 * {@code WS /ws/sessions/{id}?since=N}: streams a session's epochs and status to every viewer.
 * The run's history is the single source: each viewer has a cursor (the last sequence number it
 * was sent), and a ticker sends each viewer what lies beyond its cursor, coalesced into one message
 * per tick (at most 25 a second). So a late or reconnecting viewer gets exactly what it missed, and
 * nothing is ever dropped. Sends are asynchronous; a viewer whose last message is still in flight
 * is skipped that tick, so a slow viewer never holds up training or the others.
 * <p>
 * The live views follow the same cursor rule: when the run's model has moved on (a copy at most five
 * times a second) and the viewer was last sent one at least {@value #LIVE_EVERY_MILLIS} ms ago, it
 * gets a {@link LiveFrame} over its axes (by default the first two inputs, or the curve over the
 * only one; {@code {"type": "view", "x": …, "y": …, "at": {…}}} chooses others, {@code {"type":
 * "view", "live": false}} turns them off), after that tick's
 * update. A frame is computed and encoded once per model copy and view — one buffer sent to
 * everyone who watches it, as a binary message of UTF-8 JSON — and a viewer that is behind gets
 * only the newest, so nothing queues.
 */
final class SessionSocket implements AutoCloseable {
    /** {@code {"type": "update", "events": […], "progress"?: {…}, "status"?: {…}}}: what changed since the viewer's cursor. */
    record Update(String type, @com.fasterxml.jackson.annotation.JsonRawValue String events,
                  @JsonInclude(Include.NON_NULL) BatchProgress progress,
                  @JsonInclude(Include.NON_NULL) StatusView status) {
    }

    /** {@code {"type": "live", "live": {…}}}: one {@link LiveFrame}, sent as a binary message of UTF-8 JSON. */
    record LiveMessage(String type, LiveFrame live) {
    }

    /** The run's status, where it is in the queue, and why it failed if it did. */
    record StatusView(String status, int queuePosition, int epochs, @JsonProperty("wait") long waitSeconds,
                      @JsonInclude(Include.NON_NULL) String error) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(SessionSocket.class);
    static final long TICK_MILLIS = 100;
    private static final int MAX_EVENTS_PER_MESSAGE = 2000;
    static final long LIVE_EVERY_MILLIS = 200;
    /**
     * Computing frames may take at most this much of each tick (a quarter of one core): with many
     * sessions watched at once each gets fewer frames a second, and training keeps its cores.
     */
    static final long FRAME_BUDGET_NANOS = TICK_MILLIS * 1_000_000 / 4;
    static final int CLOSE_TOO_SLOW = 4408;
    static final int CLOSE_NOT_FOUND = 4404;
    /** WebSocket's "policy violation": a request the socket cannot serve, e.g. a malformed {@code ?since=}. */
    static final int CLOSE_POLICY = 1008;

    private final SessionService sessions;
    private final ObjectMapper json;
    private final Map<WsContext, Viewer> viewers = new ConcurrentHashMap<>();
    /** The frames of each run's latest model copy, by view; only the ticker thread uses it. */
    private final Map<TrainingRun, Frames> frames = new java.util.WeakHashMap<>();

    /** The JSON of a run's events {@code (from, to]}, written once for all the viewers at the same cursor. */
    private record WrittenEvents(long from, long to, String json) {
    }

    /** The last events written for each run; only the ticker thread uses it. */
    private final Map<TrainingRun, WrittenEvents> writtenEvents = new java.util.WeakHashMap<>();

    /** A run's frames for one model copy, by view, encoded once for all who watch it. */
    private record Frames(long version, Map<SurfaceRequest, java.nio.ByteBuffer> byView) {
    }
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "session-socket-ticker");
        thread.setDaemon(true);
        return thread;
    });

    /** A viewer whose message has been in flight this long is closed; it reconnects with ?since= and resumes. */
    private final long maxSendNanos;

    SessionSocket(SessionService sessions, ObjectMapper json, java.time.Duration slowViewerTimeout) {
        this.maxSendNanos = slowViewerTimeout.toNanos();
        this.sessions = sessions;
        this.json = json;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One connected viewer: which session, how far it has been sent, what status it last saw. */
    private static final class Viewer {
        final Session session;
        final Locale locale;
        volatile long cursor;
        volatile String lastStatus;
        volatile int lastQueuePosition = -1;
        volatile BatchProgress lastProgress;
        final AtomicBoolean sending = new AtomicBoolean();
        volatile long sendStartedNanos;
        /** The run this viewer follows; a re-run replaces the session's run and the viewer starts over. */
        volatile TrainingRun run;
        /** The axes it watches; null: the run's default. */
        volatile SurfaceRequest view;
        volatile long liveVersion = -1;
        volatile SurfaceRequest liveView;
        volatile long lastLiveNanos;
        volatile boolean noFrames;

        Viewer(Session session, Locale locale, long cursor) {
            this.session = session;
            this.locale = locale;
            this.cursor = cursor;
            this.run = session.run();
        }
    }

    void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
            Locale locale = locale(ctx);
            Session session = sessions.find(ctx.pathParam("id")).orElse(null);
            if (session == null) {
                SocketMessages.send(ctx, SocketMessages.error(locale, "error.sessionNotFound"));
                ctx.closeSession(CLOSE_NOT_FOUND, "not found");
                return;
            }
            long since = since(ctx.queryParam("since"));
            if (since < 0) {
                SocketMessages.send(ctx, SocketMessages.error(locale, "error.since", Messages.echo(ctx.queryParam("since"), 40)));
                ctx.closeSession(CLOSE_POLICY, "bad since");
                return;
            }
            viewers.put(ctx, new Viewer(session, locale, since));
        });
        ws.onMessage(ctx -> {
            Viewer viewer = viewers.get(ctx);
            SocketMessages.answer(ctx, viewer != null ? viewer.locale : locale(ctx), message -> {
                if (viewer == null || !"view".equals(message.path("type").asText())) {
                    return false;
                }
                if (message.path("live").isBoolean() && !message.get("live").asBoolean()) {
                    viewer.noFrames = true; // a viewer that draws no live views (a list, a bench's client)
                    return true;
                }
                SurfaceRequest view = view(message);
                sinapsis.surface.Surfaces.check(viewer.session.run().experiment().problem(), view);
                viewer.view = view;
                viewer.noFrames = false;
                return true;
            });
        });
        ws.onClose(ctx -> viewers.remove(ctx));
        ws.onError(ctx -> viewers.remove(ctx));
    }

    /** How many WebSocket viewers are connected, over all sessions. */
    int viewerCount() {
        return viewers.size();
    }

    /** {@code {"type": "view", "x": "a", "y": "b", "at": {"c": 1.5}}} as the surface query it stands for. */
    private static SurfaceRequest view(com.fasterxml.jackson.databind.JsonNode message) {
        Map<String, List<String>> query = new java.util.LinkedHashMap<>();
        for (String axis : new String[] {"x", "y"}) {
            if (message.hasNonNull(axis)) {
                query.put(axis, List.of(message.get(axis).asText()));
            }
        }
        message.path("at").fields().forEachRemaining(held -> query.put("at." + held.getKey(),
                List.of(held.getValue().asText())));
        return SurfaceQuery.of(query);
    }

    /** The view a viewer who chose none sees: the first two inputs, or the curve over the only one; null for images. */
    private static SurfaceRequest defaultView(TrainingRun run) {
        sinapsis.data.Problem problem = run.experiment().problem();
        if (problem.inputShape().isImage() || problem.inputCount() == 0) {
            return null;
        }
        List<String> inputs = problem.inputNames();
        return SurfaceRequest.over(inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null);
    }

    /** The frame due to this viewer now, encoded (read-only, shared), or null (none yet, nothing new, or sent too recently). */
    private java.nio.ByteBuffer liveFrame(Viewer viewer, TrainingRun run) {
        TrainingRun.LiveModel live = run.live();
        if (viewer.noFrames || live == null || run.experiment().problem().inputShape().isImage()) {
            return null;
        }
        SurfaceRequest view = viewer.view != null ? viewer.view : defaultView(run);
        if (live.version() == viewer.liveVersion && java.util.Objects.equals(view, viewer.liveView)) {
            return null;
        }
        if (System.nanoTime() - viewer.lastLiveNanos < LIVE_EVERY_MILLIS * 1_000_000) {
            return null;
        }
        Frames cached = frames.get(run);
        if (cached == null || cached.version() != live.version()) {
            cached = new Frames(live.version(), new java.util.HashMap<>());
            frames.put(run, cached);
        }
        java.nio.ByteBuffer frame = cached.byView().get(view);
        if (frame == null) {
            if (frameBudgetLeft <= 0) {
                return null; // this tick's share is spent: next tick
            }
            long start = System.nanoTime();
            try {
                frame = java.nio.ByteBuffer.wrap(json.writeValueAsBytes(new LiveMessage("live",
                        LiveFrame.of(run.experiment(), live, view)))).asReadOnlyBuffer();
                frameBudgetLeft -= System.nanoTime() - start;
            } catch (InvalidSpecException e) { // a view the data no longer has (the owner changed it): the default
                viewer.view = null;
                return null;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a frame is always JSON", e);
            }
            if (view != null) {
                cached.byView().put(view, frame);
            }
        }
        viewer.liveVersion = live.version();
        viewer.liveView = view;
        viewer.lastLiveNanos = System.nanoTime();
        return frame.duplicate(); // its own position: the same bytes go to every viewer
    }

    /** The {@code ?since=} of a reconnecting viewer: 0 when absent, -1 when it is no whole number from 0 up. */
    private static long since(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(-1, Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Locale locale(WsContext ctx) {
        String lang = ctx.queryParam("lang");
        if (lang == null) {
            lang = ctx.cookieMap().get(Languages.COOKIE);
        }
        if ("es".equals(lang) || "en".equals(lang)) {
            return Messages.supported(Locale.forLanguageTag(lang));
        }
        return Languages.fromAcceptLanguage(ctx.header("Accept-Language"));
    }


    private long frameBudgetLeft;

    private void tick() {
        frameBudgetLeft = FRAME_BUDGET_NANOS;
        // the viewers who had a frame longest ago first, so a tight budget is shared round the room
        List<Map.Entry<WsContext, Viewer>> inTurn = new java.util.ArrayList<>(viewers.entrySet());
        inTurn.sort(java.util.Comparator.comparingLong(entry -> entry.getValue().lastLiveNanos));
        for (Map.Entry<WsContext, Viewer> entry : inTurn) {
            try {
                flush(entry.getKey(), entry.getValue());
            } catch (RuntimeException e) {
                LOG.debug("dropping a viewer after a failed send", e);
                viewers.remove(entry.getKey());
            }
        }
    }

    /** Sends the viewer one message with every epoch past its cursor, and the status if it changed. */
    private void flush(WsContext ctx, Viewer viewer) {
        if (!ctx.session.isOpen()) {
            viewers.remove(ctx);
            return;
        }
        if (!viewer.sending.compareAndSet(false, true)) {
            if (System.nanoTime() - viewer.sendStartedNanos > maxSendNanos) {
                // far behind: let it go rather than queue more for it; it resumes from the history
                viewers.remove(ctx);
                ctx.closeSession(CLOSE_TOO_SLOW, "too slow");
            }
            return;
        }
        viewer.sendStartedNanos = System.nanoTime();
        if (viewer.session.isDeleted()) {
            viewers.remove(ctx);
            ctx.send(SocketMessages.error(viewer.locale, "session.deleted"));
            ctx.closeSession(CLOSE_NOT_FOUND, "deleted");
            return;
        }
        TrainingRun run = viewer.session.run();
        if (run != viewer.run) {
            // the owner started a new run: this viewer's chart starts over
            viewer.run = run;
            viewer.cursor = 0;
            viewer.lastStatus = null;
            viewer.liveVersion = -1;
            viewer.view = null;
            ctx.send("{\"type\":\"reset\"}");
        }
        // Read the status before the events: a run that is over has all its events recorded.
        String status = run.status().id();
        int queuePosition = sessions.queuePosition(viewer.session);
        List<EpochEvent> events = run.eventsSince(viewer.cursor);
        boolean more = events.size() > MAX_EVENTS_PER_MESSAGE;
        if (more) {
            events = events.subList(0, MAX_EVENTS_PER_MESSAGE);
        }
        boolean statusChanged = !more && (!status.equals(viewer.lastStatus) || queuePosition != viewer.lastQueuePosition);
        BatchProgress progress = more ? null : run.progress();
        boolean progressChanged = progress != null && progress != viewer.lastProgress;
        java.nio.ByteBuffer live = more ? null : liveFrame(viewer, run);
        if (events.isEmpty() && !statusChanged && !progressChanged && live == null) {
            viewer.sending.set(false);
            return;
        }
        if (progressChanged) {
            viewer.lastProgress = progress;
        }
        if (events.isEmpty() && !statusChanged && !progressChanged) {
            sendFrame(ctx, viewer, live);
            return;
        }
        String message = message(new Update("update", eventsJson(run, viewer.cursor, events), progressChanged ? progress : null,
                statusChanged ? new StatusView(status, queuePosition, viewer.session.spec().training().epochs(),
                queuePosition > 0 ? sessions.estimatedWaitSeconds(viewer.session) : 0,
                run.failure() == null ? null : Messages.get(viewer.locale, run.failure())) : null));
        long newCursor = events.isEmpty() ? viewer.cursor : events.get(events.size() - 1).seq();
        ctx.session.getRemote().sendString(message, new WriteCallback() {
            @Override
            public void writeSuccess() {
                viewer.cursor = newCursor;
                if (statusChanged) {
                    viewer.lastStatus = status;
                    viewer.lastQueuePosition = queuePosition;
                }
                sendFrame(ctx, viewer, live);
            }

            @Override
            public void writeFailed(Throwable failure) {
                viewers.remove(ctx);
            }
        });
    }

    /** The events as a JSON array: viewers in step (a class watching one run) share one writing of them. */
    private String eventsJson(TrainingRun run, long from, List<EpochEvent> events) {
        long to = events.isEmpty() ? from : events.get(events.size() - 1).seq();
        WrittenEvents written = writtenEvents.get(run);
        if (written != null && written.from() == from && written.to() == to) {
            return written.json();
        }
        try {
            String json = this.json.writeValueAsString(events);
            writtenEvents.put(run, new WrittenEvents(from, to, json));
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("events are always JSON", e);
        }
    }

    /** Sends the frame (if any) and then lets the viewer be sent to again. */
    private void sendFrame(WsContext ctx, Viewer viewer, java.nio.ByteBuffer frame) {
        if (frame == null) {
            viewer.sending.set(false);
            return;
        }
        ctx.session.getRemote().sendBytes(frame, new WriteCallback() {
            @Override
            public void writeSuccess() {
                viewer.sending.set(false);
            }

            @Override
            public void writeFailed(Throwable failure) {
                viewers.remove(ctx);
            }
        });
    }

    private String message(Update update) {
        try {
            return json.writeValueAsString(update);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an update is always JSON", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
