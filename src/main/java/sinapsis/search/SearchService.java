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
import sinapsis.session.Requester;
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
 *
 * <p>On a database other nodes share (issue 17) a search is cluster work: made on a node that does
 * not train (a {@code web} node), it waits in the store until a node that trains claims it (at its
 * next round, with a slot free); its holder writes how it stands every {@link #ROUND}, and every
 * other node shows it from there (followed, refreshed every round while someone asked for it); a
 * stop asked on another node reaches the holder at its next round; a holder that is gone (or stops
 * cleanly) leaves it to be started over, from its first fold, by another node.
 */
public final class SearchService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);
    private static final int RECENT = 100;
    /** How often live searches are advanced. */
    public static final Duration TICK = Duration.ofMillis(100);
    /** On a shared database: how often a node writes its searches' progress, follows others', claims. */
    static final Duration ROUND = Duration.ofMillis(500);

    private final SessionService sessions;
    private final TrainingService training;
    private final SearchStore store;
    private final GridExpansion grid;
    private final Map<String, GridSearch> live = new ConcurrentHashMap<>();
    private final Map<String, GridSearch> recent = lastUsed();
    /** Searches other nodes run, not over, that someone asked for here. */
    private final Map<String, GridSearch> followed = lastUsed();
    /** The progress last written of each live search (shared database only). */
    private final Map<String, String> written = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final int ticksARound;
    private long ticks;
    /** Whether the last round failed (only the scheduler's thread reads and writes it). */
    private boolean failing;
    private final ObjectMapper json = sinapsis.json.Json.mapper();

    /** A new search and the owner token that proves ownership of it and of its refit session. */
    public record Created(GridSearch search, String ownerToken) {
    }

    public SearchService(SessionService sessions, SearchStore store, GridExpansion grid, Duration tick) {
        this.sessions = sessions;
        this.training = sessions.training();
        this.store = store;
        this.grid = grid;
        long now = System.currentTimeMillis();
        int requeued = store.requeueOrphaned(now);
        int interrupted = store.interruptOrphaned(now);
        if (requeued > 0) {
            LOG.info("{} grid search(es) of nodes that are gone: back in the queue, to start over", requeued);
        }
        if (interrupted > 0) {
            LOG.info("{} grid search(es) were going when the server last stopped: marked interrupted", interrupted);
        }
        ticksARound = (int) Math.max(1, ROUND.toMillis() / Math.max(1, tick.toMillis()));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "grid-searches");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Map<String, GridSearch> lastUsed() {
        return java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, GridSearch> eldest) {
                return size() > RECENT;
            }
        });
    }

    /** Checks every combination against its data (as a session would be) and starts the search. */
    public Created create(SearchRequest request) {
        return create(request, null, Requester.NONE);
    }

    /** As {@link #create(SearchRequest)}; the best combination's session, refit on all the data, is named {@code refitName}. */
    public Created create(SearchRequest request, String refitName) {
        return create(request, refitName, Requester.NONE);
    }

    /**
     * As {@link #create(SearchRequest, String)}, its pasted table counted in {@code requester}'s
     * space until it ends (refused, as a session is, when the space has no room for it); the refit
     * session's data counts there after.
     */
    public Created create(SearchRequest request, String refitName, Requester requester) {
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
        long tableBytes = tableBytes(request);
        sessions.checkSpace(requester, tableBytes);
        String token = OwnerTokens.next();
        String ownerHash = OwnerTokens.hash(token);
        String id = sinapsis.session.Ids.next();
        long now = System.currentTimeMillis();
        GridSearch search = new GridSearch(id, ownerHash, now, request, experiments, refitName, requester.space());
        String stored = storedRequest(request, search);
        if (!store.isShared()) {
            store.insert(id, ownerHash, stored, search.status(), now, requester.space(), tableBytes);
            live.put(id, search);
            return new Created(search, token);
        }
        String progress = progressOf(search);
        store.insert(id, ownerHash, stored, search.status(), now, requester.space(), tableBytes, request.sourceJson(),
                refitName, progress);
        if (store.trainsHere()) {
            written.put(id, progress);
            live.put(id, search);
            return new Created(search, token);
        }
        // it waits for a node that trains: shown here as the store has it, from the start
        GridSearch shown = followedFrom(new StoredSearch(id, ownerHash, stored, search.status(), null, null, now, 0,
                progress));
        followed.put(id, shown);
        return new Created(shown, token);
    }

    /** The bytes of the pasted tables the combinations train on (each distinct table once; built-in data: none). */
    private static long tableBytes(SearchRequest request) {
        return request.combinations().stream().map(c -> c.spec().data()).filter(data -> !data.isBuiltIn())
                .map(sinapsis.model.DataSpec::csv).distinct().mapToLong(String::length).sum();
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
        for (Map<String, GridSearch> held : List.of(live, recent, followed)) {
            GridSearch search = held.get(id);
            if (search != null) {
                return Optional.of(search);
            }
        }
        return store.find(id).map(row -> {
            if (row.isOver() || !store.isShared()) {
                GridSearch restored = restore(row);
                recent.put(id, restored);
                return restored;
            }
            GridSearch shown = followedFrom(row); // another node runs it, or it waits for one
            followed.put(id, shown);
            return shown;
        });
    }

    public boolean isOwner(GridSearch search, String token) {
        return OwnerTokens.matches(token, search.ownerHash());
    }

    /**
     * Stops every run of the search; it ends as {@code stopped}, without a refit. A search another
     * node runs is asked to stop there (at its next round); one still waiting for a node stops now.
     */
    public void stop(GridSearch search) {
        GridSearch held = live.get(search.id());
        if (held != null) {
            stopHeld(held);
            return;
        }
        if (search.isOver() || !store.isShared()) {
            return;
        }
        if (!store.stopIfWaiting(search.id(), System.currentTimeMillis())) {
            store.requestStop(search.id());
        }
        store.find(search.id()).ifPresent(row -> follow(search, row));
    }

    private void stopHeld(GridSearch search) {
        synchronized (search) {
            if (search.isOver()) {
                return;
            }
            stopFolds(search);
            settle(search, "stopped", null, null);
        }
    }

    private void stopFolds(GridSearch search) {
        for (GridSearch.FoldRun fold : search.runs()) {
            if (fold.run != null) {
                training.stop(fold.run);
            }
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
        if (store.isShared() && ++ticks % ticksARound == 0) {
            try {
                round();
                if (failing) {
                    LOG.info("sharing grid searches with the other nodes works again");
                    failing = false;
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    LOG.warn("sharing grid searches with the other nodes failed (tried again every {} ms): {}",
                            ROUND.toMillis(), e.toString());
                    failing = true;
                }
            }
        }
    }

    /**
     * On a shared database: the stops other nodes asked for this node's searches; their progress,
     * for the other nodes' viewers; the searches others run that someone asked for here; and, on a
     * node that trains with a slot free, a search that waits for one.
     */
    private void round() {
        for (String id : live.isEmpty() ? java.util.Set.<String>of() : store.stopsAsked()) {
            GridSearch search = live.get(id);
            if (search != null) {
                stopHeld(search);
            }
        }
        for (GridSearch search : live.values()) {
            writeProgress(search);
        }
        followOthers();
        while (store.trainsHere() && live.size() < training.workerCount() && training.hasIdleSlot()) {
            SearchStore.ClaimedSearch claim = store.claim().orElse(null);
            if (claim == null) {
                break;
            }
            startClaimed(claim);
        }
    }

    private void writeProgress(GridSearch search) {
        synchronized (search) {
            if (search.isOver()) {
                return;
            }
            String progress = progressOf(search);
            if (progress.equals(written.get(search.id()))) {
                return;
            }
            if (store.progress(search.id(), search.status(), progress)) {
                written.put(search.id(), progress);
                return;
            }
            // no longer this node's: its heartbeat was late and another node took it over
            LOG.warn("grid search {} is no longer held by this node: its folds here stop", search.id());
            stopFolds(search);
            live.remove(search.id());
            written.remove(search.id());
        }
    }

    private void followOthers() {
        List<GridSearch> shown;
        synchronized (followed) {
            shown = followed.values().stream().filter(s -> !s.isOver()).toList();
        }
        if (shown.isEmpty()) {
            return;
        }
        Map<String, StoredSearch> rows = store.findAll(shown.stream().map(GridSearch::id).toList());
        for (GridSearch search : shown) {
            StoredSearch row = rows.get(search.id());
            if (row == null) {
                followed.remove(search.id());
            } else {
                follow(search, row);
            }
        }
    }

    /** A followed search takes its row's state; once over it is kept with the recent ones. */
    private void follow(GridSearch search, StoredSearch row) {
        try {
            SearchSnapshot progress = row.progress() == null ? null : json.readValue(row.progress(), SearchSnapshot.class);
            List<CombinationResult> results = row.results() == null ? null
                    : Arrays.asList(json.readValue(row.results(), CombinationResult[].class));
            search.follow(row.status(), progress, results, row.bestSessionId(), row.finishedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored search " + row.id() + " is not readable", e);
        }
        if (search.isOver() && followed.remove(search.id()) != null) {
            recent.put(search.id(), search);
        }
    }

    private GridSearch followedFrom(StoredSearch row) {
        GridSearch search = restore(row);
        follow(search, row);
        return search;
    }

    /** A search this node has just claimed from the store, built again from its request, started here. */
    private void startClaimed(SearchStore.ClaimedSearch claim) {
        try {
            SearchRequest request = grid.read(json.readTree(claim.pendingRequest()));
            List<Experiment> experiments = sessions.experiments(request.combinations().stream()
                    .map(Combination::spec).toList());
            live.put(claim.id(), new GridSearch(claim.id(), claim.ownerHash(), claim.createdAt(), request,
                    experiments, claim.refitName(), claim.space()));
            LOG.info("grid search {} claimed from the queue: it runs here", claim.id());
        } catch (JsonProcessingException | RuntimeException e) {
            // its request no longer builds here (a data set this node lacks): it cannot run anywhere like this
            LOG.warn("grid search {} could not be started here: {}", claim.id(), e.toString());
            store.finish(claim.id(), "failed", null, null, System.currentTimeMillis());
        }
    }

    private String progressOf(GridSearch search) {
        try {
            return json.writeValueAsString(search.snapshot());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the progress of search " + search.id(), e);
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
                    fold.run = training.submitSearchFold(fold.experiment);
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
        // its data counts in the search's space from now on (the search's count of it goes as it ends)
        Session refit = sessions.createRefit(search.combinations().get(best).spec(), search.ownerHash(),
                search.refitName(), search.space());
        settle(search, "finished", best, refit.id());
    }

    private void settle(GridSearch search, String status, Integer best, String refitSessionId) {
        search.finish(status, best, refitSessionId);
        boolean stored;
        try {
            stored = store.finish(search.id(), status, json.writeValueAsString(search.snapshot().results()),
                    refitSessionId, search.finishedAt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the results of search " + search.id(), e);
        }
        live.remove(search.id());
        written.remove(search.id());
        if (stored) {
            recent.put(search.id(), search);
        } else {
            LOG.warn("grid search {} ended here after another node had taken it over: its end here is not kept",
                    search.id());
        }
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

    /**
     * Stops the scheduler and this node's folds; the searches still going become interrupted (at the
     * next start on the embedded store), or go back to the queue for another node (on a shared one,
     * when the node leaves the cluster).
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS); // no fold stopped below is settled as the search's end
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (GridSearch search : live.values()) {
            for (GridSearch.FoldRun fold : search.runs()) {
                if (fold.run != null) {
                    fold.run.requestStop();
                }
            }
        }
    }
}
