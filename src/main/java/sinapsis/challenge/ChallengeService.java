package sinapsis.challenge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sinapsis.classroom.ClassService;
import sinapsis.classroom.LockedFields;
import sinapsis.data.BuiltInDataset;
import sinapsis.data.HeldOutSplit;
import sinapsis.json.Json;
import sinapsis.json.SpecJson;
import sinapsis.model.DataSpec;
import sinapsis.model.InvalidSpecException;
import sinapsis.model.SessionSpec;
import sinapsis.session.Ids;
import sinapsis.session.Session;
import sinapsis.session.SessionService;
import sinapsis.session.SessionStateException;
import sinapsis.store.ChallengeStore;
import sinapsis.store.ChallengeStore.StoredAttempt;
import sinapsis.store.ChallengeStore.StoredChallenge;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.training.EpochEvent;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingRun;

/**
 * A class's challenges: the teacher creates and edits them (the data cut into a training part and
 * held-out rows here, once), opens and closes them; a student's run on one is an attempt, let
 * through only when the challenge is open, before its deadline, within the attempts left, on the
 * challenge's own data, under its locks and constraints; an attempt is scored on the held-out rows
 * when its run ends (at once on the node that trained it, else when someone next reads the
 * challenge), and each student's best attempt is their result.
 */
public final class ChallengeService {
    private static final Logger LOG = LoggerFactory.getLogger(ChallengeService.class);
    private static final Set<String> FIELDS = Set.of("title", "instructions", "spec", "locked", "target",
            "constraints", "deadline", "attempts", "testFraction", "seed", "state");
    private static final Set<String> STATES = Set.of("draft", "open", "closed");
    public static final double DEFAULT_TEST_FRACTION = 0.25;
    static final int CURVE_POINTS = 60;

    private final ChallengeStore store;
    private final ClassService classes;
    private final SessionService sessions;
    private final SpecJson specs;
    private final Map<String, Object> attemptLocks = new ConcurrentHashMap<>();

    /** A challenge as the service works with it: its row and its definition read. */
    public record Challenge(StoredChallenge row, ChallengeDefinition definition) {
        public String id() {
            return row.id();
        }

        public String state() {
            return row.state();
        }

        public boolean isOpen() {
            return row.state().equals("open");
        }
    }

    /** An attempt with its score on the challenge's target now (null until scored, or when its metric is not a number). */
    public record Attempt(StoredAttempt row, Double score, Boolean met, Double margin) {
    }

    /** A student's standing: attempts that count, their best (null before a scored one), whether one goes now. */
    public record Standing(StoredStudent student, int attemptsUsed, Attempt best, List<Attempt> attempts,
                           boolean going) {
    }

    public ChallengeService(ChallengeStore store, ClassService classes, SessionService sessions, SpecJson specs) {
        this.store = store;
        this.classes = classes;
        this.sessions = sessions;
        this.specs = specs;
        sessions.onChallengeRunOver(this::runOver);
    }

    /** A new challenge in the class from the teacher's request; every fault names its field. */
    public Challenge create(StoredClass classroom, JsonNode request) {
        refuseUnknown(request);
        String state = state(request.get("state"), "draft");
        Built built = build(request, null);
        long now = System.currentTimeMillis();
        StoredChallenge row = new StoredChallenge(Ids.next(), classroom.code(), state, built.definition.toJson()
                .toString(), built.split.keptRows(), built.split.heldOutRows(), now, now);
        store.insert(row, built.split.heldOut());
        return new Challenge(row, built.definition);
    }

    /**
     * The teacher's changes (only the fields given). The data, its cut and the starting
     * configuration cannot change once someone has made an attempt: their scores would mean something else.
     */
    public Challenge update(Challenge challenge, JsonNode changes) {
        refuseUnknown(changes);
        String state = state(changes.get("state"), challenge.state());
        boolean resplit = changes.has("spec") || changes.has("testFraction") || changes.has("seed");
        if (challenge.definition().heldOutIsTestSplit() && !changes.has("spec")
                && (changes.has("testFraction") || changes.has("seed"))) {
            throw new InvalidSpecException(changes.has("testFraction") ? "testFraction" : "seed",
                    "error.challengeTestSplit", challenge.definition().dataset());
        }
        if (resplit && !store.attempts(challenge.id()).isEmpty()) {
            String field = changes.has("spec") ? "spec" : changes.has("testFraction") ? "testFraction" : "seed";
            throw new InvalidSpecException(field, "error.challengeHasAttempts");
        }
        ObjectNode merged = challenge.definition().toJson();
        changes.fields().forEachRemaining(e -> merged.set(e.getKey(), e.getValue()));
        if (resplit && !changes.has("spec")) {
            // the same data cut again: the held-out rows go back beside the training ones first
            ObjectNode data = (ObjectNode) merged.get("spec").get("data");
            data.put("csv", HeldOutSplit.join(data.get("csv").asText(), store.heldOut(challenge.id())));
        }
        Built built = build(merged, resplit ? null : challenge);
        if (!changes.has("spec") && built.definition.dataset() == null) { // still the built-in data set it was
            ChallengeDefinition d = built.definition;
            built = new Built(new ChallengeDefinition(d.title(), d.instructions(), d.spec(), d.locked(), d.target(),
                    d.constraints(), d.deadline(), d.attempts(), d.testFraction(), d.seed(),
                    challenge.definition().dataset()), built.split);
        }
        StoredChallenge row = new StoredChallenge(challenge.id(), challenge.row().classCode(), state,
                built.definition.toJson().toString(), built.split.keptRows(), built.split.heldOutRows(),
                challenge.row().createdAt(), System.currentTimeMillis());
        store.update(row, resplit ? built.split.heldOut() : null);
        return new Challenge(row, built.definition);
    }

    private record Built(ChallengeDefinition definition, HeldOutSplit split) {
    }

    /**
     * Reads a whole definition; {@code unchanged} (not null) keeps its data cut as it is, else the
     * spec's data is cut by the request's fraction and seed.
     */
    private Built build(JsonNode request, Challenge unchanged) {
        Localized title = Localized.read("title", request.get("title"), true, ChallengeDefinition.MAX_TITLE);
        Localized instructions = Localized.read("instructions", request.get("instructions"), false,
                ChallengeDefinition.MAX_INSTRUCTIONS);
        Target target = Target.read(request.get("target"));
        Constraints constraints = Constraints.read(request.get("constraints"));
        Long deadline = deadline(request.get("deadline"));
        Integer attempts = attempts(request.get("attempts"));
        double fraction = fraction(request.get("testFraction"));
        long seed = seed(request.get("seed"));
        JsonNode specNode = request.get("spec");
        if (specNode == null || specNode.isNull()) {
            throw new InvalidSpecException("spec", "error.required");
        }
        HeldOutSplit split;
        SessionSpec student;
        String dataset;
        try {
            SessionSpec source = specs.read(specNode);
            dataset = source.data().isBuiltIn() ? source.data().dataset() : null;
            if (unchanged != null) {
                split = new HeldOutSplit(source.data().csv(), null, unchanged.row().trainRows(),
                        unchanged.row().heldOutRows());
                student = specs.read(unchanged.definition().spec());
                student = new SessionSpec(student.data(), source.network(), source.training());
                dataset = unchanged.definition().dataset();
                fraction = unchanged.definition().testFraction();
                seed = unchanged.definition().seed();
            } else if (dataset != null && sessions.dataset(dataset).images()) {
                // the set's own test split is held out (the trainer only ever evaluates on it): nothing
                // is cut, so a fraction and a seed sent with it (the form always sends one) do not apply
                sinapsis.data.Problem problem = sessions.experiment(source).problem();
                split = new HeldOutSplit(null, "", problem.fitRows(), problem.testRows());
                fraction = (double) problem.testRows() / problem.rows();
                student = source;
            } else {
                Experiment whole = sessions.experiment(source);
                String text = dataset != null ? sessions.dataset(dataset).csv() : source.data().csv();
                boolean classification = whole.problem().isClassification();
                split = HeldOutSplit.of(text, fraction, seed,
                        classification ? whole.problem().targetNames().get(0) : null);
                DataSpec data = source.data();
                List<String> inputs = data.inputs().isEmpty() && dataset != null ? sessions.dataset(dataset).inputs()
                        : data.inputs();
                List<String> targets = data.targets().isEmpty() && dataset != null
                        ? sessions.dataset(dataset).targets() : data.targets();
                student = new SessionSpec(new DataSpec(split.kept(), null, inputs, targets, data.trainingRows(),
                        data.features()), source.network(), source.training());
            }
            Experiment experiment = sessions.experiment(student);
            if (target.isClassification() != experiment.problem().isClassification()) {
                throw new InvalidSpecException("target.metric", experiment.problem().isClassification()
                        ? "error.targetNeedsRegression" : "error.targetNeedsClassification", target.metric());
            }
        } catch (InvalidSpecException e) {
            throw e.field().startsWith("target") || e.field().startsWith("testFraction") ? e : e.under("spec");
        }
        ObjectNode studentJson = specs.write(student, true);
        List<String> locked = LockedFields.read("locked", request.get("locked"), studentJson);
        return new Built(new ChallengeDefinition(title, instructions, studentJson, locked, target, constraints,
                deadline, attempts, fraction, seed, dataset), split);
    }

    private static void refuseUnknown(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw new InvalidSpecException("", "error.notObject");
        }
        request.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidSpecException(name, "error.unknownField", name);
            }
        });
    }

    private static String state(JsonNode node, String fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual() || !STATES.contains(node.asText())) {
            throw new InvalidSpecException("state", "error.unknownChallengeState", node.asText(),
                    String.join(", ", List.of("draft", "open", "closed")));
        }
        return node.asText();
    }

    /** ms since the epoch, or an ISO-8601 instant ({@code 2026-12-10T12:00:00Z}, with an offset); null: none. */
    private static Long deadline(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        try {
            return java.time.OffsetDateTime.parse(node.asText()).toInstant().toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.Instant.parse(node.asText()).toEpochMilli();
            } catch (java.time.format.DateTimeParseException again) {
                throw new InvalidSpecException("deadline", "error.badDeadline", node.asText());
            }
        }
    }

    private static Integer attempts(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new InvalidSpecException("attempts", "error.notInteger", node.toString());
        }
        return node.asInt();
    }

    private static double fraction(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULT_TEST_FRACTION;
        }
        if (!node.isNumber()) {
            throw new InvalidSpecException("testFraction", "error.notNumber", node.toString());
        }
        return node.asDouble();
    }

    private static long seed(JsonNode node) {
        if (node == null || node.isNull()) {
            return new java.security.SecureRandom().nextInt(1_000_000);
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new InvalidSpecException("seed", "error.notInteger", node.toString());
        }
        return node.asLong();
    }

    /** A class's challenges, newest first. */
    public List<Challenge> ofClass(StoredClass classroom) {
        return store.ofClass(classroom.code()).stream().map(ChallengeService::read).toList();
    }

    /** The class's challenge with this id. */
    public Optional<Challenge> find(String classCode, String id) {
        return id == null || id.length() > 64 ? Optional.empty()
                : store.find(id).filter(row -> row.classCode().equals(classCode)).map(ChallengeService::read);
    }

    /** The challenge a session was made for, if any. */
    public Optional<Challenge> ofSession(String sessionId) {
        return store.challengeOf(sessionId).flatMap(store::find).map(ChallengeService::read);
    }

    /** The newest open challenge of the class: where a student who has just joined goes. */
    public Optional<Challenge> newestOpen(String classCode) {
        return store.ofClass(classCode).stream().filter(row -> row.state().equals("open")).findFirst()
                .map(ChallengeService::read);
    }

    private static Challenge read(StoredChallenge row) {
        return new Challenge(row, ChallengeDefinition.stored(row.definition()));
    }

    /**
     * A new attempt in a new session: checked (see {@link #check}), then {@code run} creates the
     * session and starts its run, and the attempt is recorded with the session marked as the
     * challenge's. One student's attempts at one challenge are let through one at a time on a node;
     * across nodes the record itself refuses one over the limit (see
     * {@link ChallengeStore#insertAttemptWithin}), and the session it was for is then deleted.
     */
    public Session attempt(Challenge challenge, StoredStudent student, SessionSpec spec, Supplier<Session> run) {
        return attempt(challenge, student, spec, run, sessions::delete);
    }

    /**
     * A run of a session already on the challenge: refused when the session holds an attempt that
     * counts; its run is stopped again if another node took the student's last attempt meanwhile.
     */
    public Session attemptAgain(Challenge challenge, StoredStudent student, Session session, SessionSpec spec,
                                Supplier<Session> run) {
        if (store.attemptsOfSession(session.id()).stream().anyMatch(StoredAttempt::counts)) {
            throw new SessionStateException("error.attemptIsKept");
        }
        return attempt(challenge, student, spec, run, sessions::stop);
    }

    private Session attempt(Challenge challenge, StoredStudent student, SessionSpec spec, Supplier<Session> run,
                            java.util.function.Consumer<Session> withdraw) {
        Object lock = attemptLocks.computeIfAbsent(challenge.id() + "/" + student.id(), key -> new Object());
        synchronized (lock) {
            check(challenge, student, spec);
            Session session = run.get();
            Integer limit = challenge.definition().attempts();
            if (!store.insertAttemptWithin(new StoredAttempt(Ids.next(), challenge.id(), student.id(), session.id(),
                    "going", System.currentTimeMillis(), null, null, null, null, null), limit)) {
                withdraw.accept(session); // another node let the student's last attempt through meanwhile
                throw new InvalidSpecException("challenge", "error.noAttemptsLeft", limit);
            }
            return session;
        }
    }

    /** Marks a student's copy of a challenge session as on the challenge too (a draft: no attempt yet). */
    public void copied(Challenge challenge, Session copy) {
        store.assignSession(copy.id(), challenge.id());
    }

    /** Whether a session holds an attempt that counts (it is part of the gradebook, and is kept). */
    public boolean holdsAttempt(String sessionId) {
        return store.attemptsOfSession(sessionId).stream().anyMatch(StoredAttempt::counts);
    }

    /**
     * Refuses an attempt the student may not make now, whatever its spec: the challenge is not open,
     * its deadline passed, or they have used every attempt (a 400 on {@code challenge}).
     */
    public void checkCanAttempt(Challenge challenge, StoredStudent student) {
        ChallengeDefinition definition = challenge.definition();
        if (!challenge.row().classCode().equals(student.classCode())) {
            throw new InvalidSpecException("challenge", "error.unknownChallenge", challenge.id());
        }
        if (!challenge.isOpen()) {
            throw new InvalidSpecException("challenge", "error.challengeNotOpen");
        }
        if (definition.pastDeadline(System.currentTimeMillis())) {
            throw new InvalidSpecException("challenge", "error.challengePastDeadline");
        }
        if (definition.attempts() != null) {
            long used = store.attempts(challenge.id()).stream()
                    .filter(a -> a.studentId().equals(student.id()) && a.counts()).count();
            if (used >= definition.attempts()) {
                throw new InvalidSpecException("challenge", "error.noAttemptsLeft", definition.attempts());
            }
        }
    }

    /**
     * Refuses, naming the field, an attempt that may not be made: the challenge is not open, its
     * deadline passed, the student has no attempt left, or the spec is not on the challenge's data,
     * changes a locked field or breaks a constraint.
     */
    public void check(Challenge challenge, StoredStudent student, SessionSpec spec) {
        checkCanAttempt(challenge, student);
        ChallengeDefinition definition = challenge.definition();
        ObjectNode start = definition.spec();
        ObjectNode wanted = specs.write(spec, true);
        DataSpec data = spec.data();
        if (definition.heldOutIsTestSplit()) {
            if (!data.isBuiltIn() || !data.dataset().equals(start.at("/data/dataset").asText())) {
                throw new InvalidSpecException("data", "error.challengeData");
            }
        } else if (data.isBuiltIn() || !normalised(data.csv()).equals(normalised(start.at("/data/csv").asText()))) {
            throw new InvalidSpecException("data", "error.challengeData");
        }
        if (!wanted.at("/data/targets").equals(start.at("/data/targets"))) {
            throw new InvalidSpecException("data.targets", "error.lockedField", "data.targets");
        }
        LockedFields.check(definition.locked(), start, wanted);
        Experiment experiment = sessions.experiment(spec);
        definition.constraints().check(spec, experiment.network().parameterCount(experiment.problem().inputShape()));
    }

    /** The same table, whatever line ends or trailing blank lines a browser's text box gave it. */
    private static String normalised(String csv) {
        return csv == null ? "" : csv.replace("\r\n", "\n").replace('\r', '\n').strip();
    }

    /** The recorder's call once a challenge's session's run is over here: its going attempt, if it has one, is scored now. */
    private void runOver(Session session) {
        for (StoredAttempt attempt : store.attemptsOfSession(session.id())) {
            if (attempt.state().equals("going")) {
                end(attempt, session);
            }
        }
    }

    /** Scores (or voids) the challenge's going attempts whose runs are over, wherever they trained. */
    private void settle(Challenge challenge) {
        for (StoredAttempt attempt : store.attempts(challenge.id())) {
            if (!attempt.state().equals("going")) {
                continue;
            }
            Optional<Session> inMemory = sessions.inMemory(attempt.sessionId());
            if (inMemory.isPresent() && !inMemory.get().run().status().isOver()) {
                continue;
            }
            Optional<Session> session = inMemory.isPresent() ? inMemory : sessions.find(attempt.sessionId());
            if (session.isEmpty()) {
                store.endAttempt(attempt.id(), "void", System.currentTimeMillis(), null, null, null, null);
            } else if (session.get().run().status().isOver()) {
                end(attempt, session.get());
            }
        }
    }

    /** A run that is over: scored on the held-out rows when it has a model, else void (it does not count). */
    private void end(StoredAttempt attempt, Session session) {
        TrainingRun run = session.run();
        long now = System.currentTimeMillis();
        if (run.model() == null) {
            store.endAttempt(attempt.id(), "void", now, null, null, null, null);
            return;
        }
        Challenge challenge = store.find(attempt.challengeId()).map(ChallengeService::read).orElse(null);
        if (challenge == null) {
            return;
        }
        Map<String, Double> metrics;
        try {
            metrics = challenge.definition().heldOutIsTestSplit() ? testFigures(run)
                    : sessions.evaluate(session, store.heldOut(challenge.id()));
        } catch (RuntimeException e) {
            LOG.warn("attempt {} of challenge {} could not be scored", attempt.id(), challenge.id(), e);
            store.endAttempt(attempt.id(), "void", now, null, null, null, null);
            return;
        }
        List<EpochEvent> events = run.thinned(CURVE_POINTS);
        Double score = metrics.get(challenge.definition().target().metric());
        store.endAttempt(attempt.id(), "scored", now, score != null && Double.isFinite(score) ? score : null,
                toJson(metrics).toString(), events.isEmpty() ? 0 : events.get(events.size() - 1).epoch(),
                curve(events).toString());
    }

    /** The final model's figures on the image set's test split, as the run's result gave them. */
    private static Map<String, Double> testFigures(TrainingRun run) {
        if (run.result() == null) {
            throw new IllegalStateException("a run over with a model has a result");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        run.result().metrics().forEach((name, value) -> {
            if (name.startsWith("test_")) {
                metrics.put(name, value);
            }
        });
        return metrics;
    }

    private static ObjectNode toJson(Map<String, Double> metrics) {
        ObjectNode node = Json.mapper().createObjectNode();
        metrics.forEach((name, value) -> {
            if (Double.isFinite(value)) {
                node.put(name, value);
            }
        });
        return node;
    }

    /** {@code {"epochs": [...], "loss": [...], "val_loss": [...]}}, the run's curve thinned. */
    private static ObjectNode curve(List<EpochEvent> events) {
        ObjectNode node = Json.mapper().createObjectNode();
        ArrayNode epochs = node.putArray("epochs");
        ArrayNode loss = node.putArray("loss");
        boolean validation = events.stream().anyMatch(e -> e.valLoss() != null);
        ArrayNode valLoss = validation ? node.putArray("val_loss") : null;
        for (EpochEvent event : events) {
            epochs.add(event.epoch());
            loss.add(event.loss());
            if (validation) {
                if (event.valLoss() != null) {
                    valLoss.add(event.valLoss());
                } else {
                    valLoss.addNull();
                }
            }
        }
        return node;
    }

    /** Every student of the class with their standing on the challenge, in the order they joined. */
    public List<Standing> standings(Challenge challenge, List<StoredStudent> students) {
        settle(challenge);
        Map<String, List<StoredAttempt>> byStudent = new LinkedHashMap<>();
        for (StoredAttempt attempt : store.attempts(challenge.id())) {
            byStudent.computeIfAbsent(attempt.studentId(), id -> new ArrayList<>()).add(attempt);
        }
        List<Standing> standings = new ArrayList<>();
        for (StoredStudent student : students) {
            standings.add(standing(challenge, student, byStudent.getOrDefault(student.id(), List.of())));
        }
        return standings;
    }

    /** One student's standing (their own attempts only). */
    public Standing standing(Challenge challenge, StoredStudent student) {
        return standings(challenge, List.of(student)).get(0);
    }

    private static Standing standing(Challenge challenge, StoredStudent student, List<StoredAttempt> rows) {
        Target target = challenge.definition().target();
        List<Attempt> attempts = new ArrayList<>();
        Attempt best = null;
        int used = 0;
        boolean going = false;
        for (StoredAttempt row : rows) {
            if (row.counts()) {
                used++;
            }
            going |= row.state().equals("going");
            Double score = score(row, target);
            Attempt attempt = score == null ? new Attempt(row, null, null, null)
                    : new Attempt(row, score, target.met(score), target.margin(score));
            attempts.add(attempt);
            if (score != null && (best == null || target.better(score, best.score()))) {
                best = attempt; // ties keep the earlier attempt
            }
        }
        return new Standing(student, used, best, attempts, going);
    }

    /** The attempt's figure for the target's metric now (the teacher may have changed the metric since). */
    private static Double score(StoredAttempt row, Target target) {
        if (!row.state().equals("scored") || row.metrics() == null) {
            return null;
        }
        try {
            JsonNode value = Json.mapper().readTree(row.metrics()).get(target.metric());
            return value != null && value.isNumber() ? value.asDouble() : null;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored attempt metrics are not JSON", e);
        }
    }

    /** The attempts of one session, scored now if its run is over. */
    public List<Attempt> attemptsOfSession(Challenge challenge, String sessionId) {
        settle(challenge);
        Target target = challenge.definition().target();
        return store.attemptsOfSession(sessionId).stream().map(row -> {
            Double score = score(row, target);
            return score == null ? new Attempt(row, null, null, null)
                    : new Attempt(row, score, target.met(score), target.margin(score));
        }).toList();
    }

    public ClassService classes() {
        return classes;
    }
}
