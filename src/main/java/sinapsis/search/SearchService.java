package sinapsis.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.session.OwnerTokens;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.store.SearchStore;
import sinapsis.store.StoredSearch;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingService;

/**
 * Runs grid searches. A scheduler thread advances every live search a few times a second: it
 * scores the fold runs that ended and submits the next ones, keeping at most one run per worker
 * of a search in the shared queue so that a search does not crowd out other people's sessions.
 * When every fold is scored, the best combination is trained on all the data as a session owned
 * by the search's owner (same token), and the results are stored.
 */
public final class SearchService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);
    private static final int RECENT = 100;
    /** How often live searches are advanced. */
    public static final Duration TICK = Duration.ofMillis(100);

    private final SessionService sessions;
    private final TrainingService training;
    private final SearchStore store;
    private final Map<String, GridSearch> live = new ConcurrentHashMap<>();
    private final Map<String, GridSearch> recent = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, GridSearch> eldest) {
                    return size() > RECENT;
                }
            });
    private final ScheduledExecutorService scheduler;
    private final ObjectMapper json = sinapsis.json.Json.mapper();

    /** A new search and the owner token that proves ownership of it and of its refit session. */
    public record Created(GridSearch search, String ownerToken) {
    }

    public SearchService(SessionService sessions, SearchStore store, Duration tick) {
        this.sessions = sessions;
        this.training = sessions.training();
        this.store = store;
        int interrupted = store.interruptOrphaned(System.currentTimeMillis());
        if (interrupted > 0) {
            LOG.info("{} grid search(es) were going when the server last stopped: marked interrupted", interrupted);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "grid-searches");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Checks every combination against its data (as a session would be) and starts the search. */
    public Created create(SearchRequest request) {
        return create(request, null);
    }

    /** As {@link #create(SearchRequest)}; the best combination's session, refit on all the data, is named {@code refitName}. */
    public Created create(SearchRequest request, String refitName) {
        for (Combination combination : request.combinations()) {
            if (combination.spec().network().hasImageLayers()) {
                throw new sinapsis.model.InvalidSpecException("network", "error.imageSearch");
            }
        }
        List<Experiment> experiments = sessions.experiments(request.combinations().stream().map(Combination::spec)
                .toList());
        int rows = experiments.get(0).problem().rows();
        if (rows < request.folds()) {
            throw new sinapsis.model.InvalidSpecException("folds", "error.foldsMoreThanRows", request.folds(), rows);
        }
        String token = OwnerTokens.next();
        String ownerHash = OwnerTokens.hash(token);
        String id = sinapsis.session.Ids.next();
        long now = System.currentTimeMillis();
        GridSearch search = new GridSearch(id, ownerHash, now, request, experiments, refitName);
        store.insert(id, ownerHash, storedRequest(request, search), search.status(), now);
        live.put(id, search);
        return new Created(search, token);
    }

    /** The request as stored, with the scoring it got (a restored search shows it). */
    private String storedRequest(SearchRequest request, GridSearch search) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode node =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(request.requestJson());
            node.put("scoring", search.snapshot().scoring());
            return json.writeValueAsString(node);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("the search request is not a JSON object", e);
        }
    }

    /** The search whose best combination was refit as this session, if one was. */
    public Optional<GridSearch> refitInto(String sessionId) {
        if (sessionId == null || sessionId.length() > 64) {
            return Optional.empty();
        }
        return store.refitInto(sessionId).flatMap(this::find);
    }

    public Optional<GridSearch> find(String id) {
        if (id == null || id.length() > 64) {
            return Optional.empty();
        }
        GridSearch search = live.get(id);
        if (search == null) {
            search = recent.get(id);
        }
        if (search != null) {
            return Optional.of(search);
        }
        Optional<GridSearch> stored = store.find(id).map(this::restore);
        stored.ifPresent(s -> recent.put(s.id(), s));
        return stored;
    }

    public boolean isOwner(GridSearch search, String token) {
        return OwnerTokens.matches(token, search.ownerHash());
    }

    /** Stops every run of the search; it ends as {@code stopped}, without a refit. */
    public void stop(GridSearch search) {
        synchronized (search) {
            if (search.isOver()) {
                return;
            }
            for (GridSearch.FoldRun fold : search.runs()) {
                if (fold.run != null) {
                    training.stop(fold.run);
                }
            }
            settle(search, "stopped", null, null);
        }
    }

    private void tick() {
        for (GridSearch search : live.values()) {
            try {
                advance(search);
            } catch (RuntimeException e) {
                LOG.error("grid search {} failed", search.id(), e);
                settle(search, "failed", null, null);
            }
        }
    }

    /** Scores what ended, submits what may start, and ends the search once every fold is in. */
    private void advance(GridSearch search) {
        synchronized (search) {
            if (search.isOver()) {
                return;
            }
            int inFlight = 0;
            boolean allSettled = true;
            for (GridSearch.FoldRun fold : search.runs()) {
                if (fold.run != null && !fold.settled && fold.run.status().isOver()) {
                    fold.score = GridSearch.score(fold);
                    fold.settled = true;
                }
                inFlight += fold.run != null && !fold.settled ? 1 : 0;
                allSettled &= fold.settled;
            }
            for (GridSearch.FoldRun fold : search.runs()) {
                if (inFlight >= training.workerCount()) {
                    break;
                }
                if (fold.run == null) {
                    fold.run = training.submit(fold.experiment);
                    inFlight++;
                    search.setStatus("running");
                }
            }
            if (allSettled) {
                refit(search);
            }
        }
    }

    /** The best combination (highest mean score over complete folds) trained on all the data. */
    private void refit(GridSearch search) {
        double bestMean = Double.NEGATIVE_INFINITY;
        Integer best = null;
        for (int c = 0; c < search.combinations().size(); c++) {
            double sum = 0;
            boolean complete = true;
            for (GridSearch.FoldRun fold : search.foldsOf(c)) {
                complete &= fold.score != null;
                sum += fold.score == null ? 0 : fold.score;
            }
            if (complete && sum / search.folds() > bestMean) {
                bestMean = sum / search.folds();
                best = c;
            }
        }
        if (best == null) {
            settle(search, "failed", null, null);
            return;
        }
        Session refit = sessions.createOwnedBy(search.combinations().get(best).spec(), search.ownerHash(),
                search.refitName());
        settle(search, "finished", best, refit.id());
    }

    private void settle(GridSearch search, String status, Integer best, String refitSessionId) {
        search.finish(status, best, refitSessionId);
        try {
            store.finish(search.id(), status, json.writeValueAsString(search.snapshot().results()), refitSessionId,
                    search.finishedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the results of search " + search.id(), e);
        }
        live.remove(search.id());
        recent.put(search.id(), search);
    }

    private GridSearch restore(StoredSearch row) {
        try {
            JsonNode request = json.readTree(row.request());
            List<String> params = new ArrayList<>();
            request.path("grid").fieldNames().forEachRemaining(params::add);
            List<CombinationResult> results = row.results() == null ? null
                    : Arrays.asList(json.readValue(row.results(), CombinationResult[].class));
            return new GridSearch(row.id(), row.ownerHash(), row.createdAt(), row.finishedAt(), params,
                    request.path("folds").asInt(), "accuracy".equals(request.path("scoring").asText()), row.status(),
                    results, row.bestSessionId(), row.request());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored search " + row.id() + " is not readable", e);
        }
    }

    /** Stops the scheduler; searches still going become interrupted at the next start. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        for (GridSearch search : live.values()) {
            for (GridSearch.FoldRun fold : search.runs()) {
                if (fold.run != null) {
                    fold.run.requestStop();
                }
            }
        }
    }
}
