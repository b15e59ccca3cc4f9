package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.LossKind;
import sinapsis.model.NetworkSpec;
import sinapsis.model.OptimizerKind;
import sinapsis.model.TrainingSpec;
import sinapsis.support.TestDatabases;
import sinapsis.training.Checkpoint;
import sinapsis.training.EpochEvent;
import sinapsis.training.EarlyStop;
import sinapsis.training.Equation;
import sinapsis.training.LayerWeights;
import sinapsis.training.RunStatus;
import sinapsis.training.SummaryRow;
import sinapsis.training.TrainingResult;
import sinapsis.training.TrainingRun.Ending;

/** The repository on SQLite and, where one is configured (always under CI), on PostgreSQL. */
class SessionStoreTest {
    private static final NetworkSpec NETWORK = NetworkSpec.of(LayerSpec.dense(3, Activation.RELU),
            LayerSpec.dense(1, Activation.LINEAR));
    private static final TrainingSpec TRAINING = new TrainingSpec(LossKind.HUBER, OptimizerKind.RMSPROP, 0.01, 700, 4,
            false, 7, 0.2, true);

    static Stream<DatabaseConfig> databases() {
        return TestDatabases.all().stream();
    }

    private static StoredSession session(String id, String dataHash, RunStatus status, long createdAt) {
        return new StoredSession(id, "owner-" + id, null, new Ending(status, null, 0, 0), null, dataHash,
                List.of("x"), List.of("y"), NETWORK, TRAINING, null, createdAt, 0, null, null, 0);
    }

    private static List<EpochEvent> epochs(long from, long to) {
        List<EpochEvent> events = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            events.add(new EpochEvent(seq, (int) seq, 1.0 / seq, seq % 2 == 0 ? 2.0 / seq : null,
                    seq % 3 == 0 ? Map.of("accuracy", 0.5, "val_accuracy", 0.25) : Map.of()));
        }
        return events;
    }

    @ParameterizedTest
    @MethodSource("databases")
    void everyStatementSentIsCountedAFailedOneToo(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            long before = database.statementsSoFar();
            assertThat(store.find("nobody")).isEmpty();
            assertThat(database.statementsSoFar()).as("one query").isEqualTo(before + 1);
            assertThat(store.notOver(List.of("a", "b"))).isEmpty();
            assertThat(database.statementsSoFar()).isEqualTo(before + 2);
            assertThat(store.notOver(List.of())).as("asks nothing").isEmpty();
            assertThat(database.statementsSoFar()).isEqualTo(before + 2);
            store.insert(session("a", "h1", RunStatus.QUEUED, 1000), "x,y\n1,2\n");
            long afterInsert = database.statementsSoFar();
            assertThat(afterInsert).as("the insert's statements").isGreaterThan(before + 2);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.insert(
                    session("a", "h1", RunStatus.QUEUED, 1000), "x,y\n1,2\n")).as("the same id again fails");
            assertThat(database.statementsSoFar()).as("a failed insert's statements count")
                    .isGreaterThan(afterInsert);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSessionComesBackAsItWasStored(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("a", "h1", RunStatus.QUEUED, 1000).withForkedFrom("z"), "x,y\n1,2\n");
            StoredSession found = store.find("a").orElseThrow();
            assertThat(found.network()).isEqualTo(NETWORK);
            assertThat(found.training()).isEqualTo(TRAINING);
            assertThat(found.inputs()).containsExactly("x");
            assertThat(found.targets()).containsExactly("y");
            assertThat(found.forkedFrom()).isEqualTo("z");
            assertThat(found.ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(found.ownerHash()).isEqualTo("owner-a");
            assertThat(found.createdAt()).isEqualTo(1000);
            assertThat(store.data("h1")).contains("x,y\n1,2\n");
            assertThat(store.find("nope")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void extremeLossesAreStoredExactly(DatabaseConfig config) { // a run stops at the first loss that is not finite
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("a", "h1", RunStatus.QUEUED, 1000), "x,y\n1,2\n");
            List<EpochEvent> extreme = List.of(
                    new EpochEvent(1, 1, 1.7976931348623157e308, 4.9e-324, Map.of("mae", 1e150)),
                    new EpochEvent(2, 2, 0.1 + 0.2, null, Map.of()),
                    new EpochEvent(3, 3, 2.2250738585072014e-308, 1e-5, Map.of("mae", 4.9e-324)));
            store.record("a", extreme, new Ending(RunStatus.RUNNING, null, 2000, 0), null);

            assertThat(store.history("a")).isEqualTo(extreme);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void historyIsAppendedInBatchesAndTheResultStoredAtTheEnd(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("a", "h1", RunStatus.QUEUED, 1000), "x,y\n1,2\n");
            store.record("a", epochs(1, 5), new Ending(RunStatus.RUNNING, null, 2000, 0), null);
            store.record("a", epochs(6, 9), null, null);
            TrainingResult result = new TrainingResult(
                    List.of(new LayerWeights(new double[][] {{1.5, -2, 0.25}}, new double[] {0, 0.1, 0.2}),
                            new LayerWeights(new double[][] {{1}, {2}, {3}}, new double[] {32})),
                    List.of(new SummaryRow("dense", "Dense", "(None, 3)", 6), new SummaryRow("dense_1", "Dense",
                            "(None, 1)", 4)), 10, Map.of("loss", 0.5, "r2", Double.NaN), new double[][] {{1}},
                    new int[][] {{1, 2}, {3, 4}}, new Equation(1.8, 32), 9, 1234, new EarlyStop(9, 4, 0.25, "loss", true));
            store.record("a", List.of(), new Ending(RunStatus.FINISHED, null, 2000, 3000), result);

            assertThat(store.history("a")).isEqualTo(epochs(1, 9));
            StoredSession found = store.find("a").orElseThrow();
            assertThat(found.ending()).isEqualTo(new Ending(RunStatus.FINISHED, null, 2000, 3000));
            assertThat(found.epochCount()).isEqualTo(9);
            assertThat(found.finalLoss()).isEqualTo(1.0 / 9);
            TrainingResult stored = found.result();
            assertThat(stored.weights().get(0).weights()).isEqualTo(new double[][] {{1.5, -2, 0.25}});
            assertThat(stored.weights().get(1).biases()).containsExactly(32);
            assertThat(stored.summary()).isEqualTo(result.summary());
            assertThat(stored.metrics().get("loss")).isEqualTo(0.5);
            assertThat(stored.metrics().get("r2")).isNaN();
            assertThat(stored.confusionMatrix()).isEqualTo(new int[][] {{1, 2}, {3, 4}});
            assertThat(stored.equation()).isEqualTo(new Equation(1.8, 32));
            assertThat(stored.earlyStop()).isEqualTo(new EarlyStop(9, 4, 0.25, "loss", true));
            assertThat(stored.trainingMillis()).isEqualTo(1234);
            assertThat(stored.predictions()).as("recomputed on loading, not stored").isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aWriteOfSeveralRunsAndOfMoreEpochsThanARowHoldsIsStoredWholeAndOnPostgreSqlARunsIsOneStatement(
            DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            if (database.isShared()) {
                database.channel(); // looked up once, at the first notice
            }
            long beforeInsert = database.statementsSoFar();
            store.insert(session("long", "h1", RunStatus.QUEUED, 1000), "x,y\n1,2\n", "space", 8);
            store.insert(session("short", "h1", RunStatus.QUEUED, 1000), "x,y\n1,2\n", "space", 8);
            long beforeWrite = database.statementsSoFar();
            int rowEpochs = EpochHistory.ROW_EPOCHS;
            store.recordAll(List.of(
                    new SessionStore.RunWrite("long", epochs(1, 2L * rowEpochs + 7),
                            new Ending(RunStatus.RUNNING, null, 2000, 0), null, new Checkpoint(rowEpochs, new byte[] {4})),
                    new SessionStore.RunWrite("short", epochs(1, 3), new Ending(RunStatus.RUNNING, null, 2000, 0), null)));
            long beforeEnd = database.statementsSoFar();
            store.record("long", epochs(2L * rowEpochs + 8, 2L * rowEpochs + 9),
                    new Ending(RunStatus.FINISHED, null, 2000, 3000), null);
            long afterEnd = database.statementsSoFar();

            assertThat(store.history("long")).isEqualTo(epochs(1, 2L * rowEpochs + 9));
            assertThat(store.history("short")).isEqualTo(epochs(1, 3));
            assertThat(store.find("long").orElseThrow().epochCount()).isEqualTo(2L * rowEpochs + 9);
            assertThat(store.find("long").orElseThrow().ending().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(store.find("short").orElseThrow().ending().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(store.checkpoint("long")).as("gone with the run's end").isEmpty();
            assertThat(store.spaceUsed("space")).isEqualTo(16);
            if (database.isShared()) {
                assertThat(beforeWrite - beforeInsert).as("a new session with its data and space: one statement each")
                        .isEqualTo(2);
                assertThat(afterEnd - beforeEnd).as("a run's write: one statement").isEqualTo(1);
                assertThat(beforeEnd - beforeWrite).as("two runs' write: a statement each, in one transaction")
                        .isEqualTo(2);
            } else {
                assertThat(afterEnd - beforeEnd).as("the row, the epochs, the checkpoint's removal").isEqualTo(3);
            }
        }
    }

    /** The write that ends a run says whether its session is a challenge's, alone or among others, with no read of its own on PostgreSQL. */
    @ParameterizedTest
    @MethodSource("databases")
    void aWriteSaysWhichOfTheRunsItEndedAreChallengesSessions(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            for (String id : List.of("plain", "attempt", "going", "alone", "alonePlain")) {
                store.insert(session(id, "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            }
            ChallengeStore challenges = new ChallengeStore(database);
            for (String id : List.of("attempt", "going", "alone")) {
                challenges.assignSession(id, "challenge-1");
            }
            Ending finished = new Ending(RunStatus.FINISHED, null, 10, 20);
            assertThat(store.recordAll(List.of(
                    new SessionStore.RunWrite("plain", epochs(1, 2), finished, null),
                    new SessionStore.RunWrite("attempt", epochs(1, 2), finished, null),
                    new SessionStore.RunWrite("going", epochs(1, 2), new Ending(RunStatus.RUNNING, null, 10, 0), null),
                    new SessionStore.RunWrite("gone", epochs(1, 2), finished, null))))
                    .as("only the ended challenge's session; a deleted one is none").containsExactly("attempt");
            long before = database.statementsSoFar();
            assertThat(store.recordAll(List.of(new SessionStore.RunWrite("alone", epochs(1, 1), finished, null))))
                    .containsExactly("alone");
            if (database.isShared()) {
                assertThat(database.statementsSoFar() - before).as("told by the write itself").isEqualTo(1);
            }
            assertThat(store.recordAll(List.of(new SessionStore.RunWrite("alonePlain", epochs(1, 1), finished, null))))
                    .isEmpty();
            assertThat(store.find("attempt").orElseThrow().ending().status()).isEqualTo(RunStatus.FINISHED);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theStatesOfAnyNumberOfRunsComeInOneQueryAndUnknownOnesAreLeftOut(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add("r" + i);
                store.insert(session("r" + i, "h", i % 4 == 3 ? RunStatus.DRAFT : RunStatus.QUEUED, i), "x,y\n1,2\n");
            }
            store.record("r0", epochs(1, 3), new Ending(RunStatus.RUNNING, null, 10, 0), null);
            store.record("r1", epochs(1, 2), new Ending(RunStatus.FINISHED, null, 10, 20), null);
            store.record("r2", epochs(1, 1), new Ending(RunStatus.PAUSED, null, 10, 0), null);

            for (int size : new int[] {1, 2, 40}) { // lists of every length, one statement each
                List<String> asked = new ArrayList<>(ids.subList(0, size));
                asked.add("gone");
                Map<String, SessionStore.RunState> states = store.runStates(asked, 100);
                assertThat(states).hasSize(size).doesNotContainKey("gone");
                assertThat(states.get("r0").ending().status()).isEqualTo(RunStatus.RUNNING);
                assertThat(states.get("r0").epochCount()).isEqualTo(3);
            }
            assertThat(store.runStates(ids, 100).get("r1").ending()).isEqualTo(new Ending(RunStatus.FINISHED, null, 10, 20));
            assertThat(store.notOver(List.of("r0", "r1", "r2", "r3", "r4", "gone")))
                    .as("queued, running or paused; not a draft, an ended run or an unknown id")
                    .containsExactlyInAnyOrder("r0", "r2", "r4");
            assertThat(store.notOver(List.of())).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eachSpaceKeepsTheTotalOfTheDataItsSessionsBroughtAsTheyComeAndGo(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("a", "h1", RunStatus.QUEUED, 1), "x,y\n1,2\n", "class-1", 100);
            store.insert(session("b", "h2", RunStatus.QUEUED, 2), "x,y\n3,4\n", "class-1", 250);
            store.insert(session("c", "h3", RunStatus.QUEUED, 3), "x,y\n5,6\n", "client-9", 40);
            store.insert(session("d", "h4", RunStatus.QUEUED, 4), "x,y\n7,8\n", null, 0); // built-in: no one's
            assertThat(store.spaceUsed("class-1")).isEqualTo(350);
            assertThat(store.spaceUsed("client-9")).isEqualTo(40);
            assertThat(store.spaceUsed("nobody")).isZero();
            assertThat(store.runCounts(null, "class-1").spaceBytes()).as("read with the run counts").isEqualTo(350);
            assertThat(store.runCounts("student-1", "client-9").spaceBytes()).isEqualTo(40);
            assertThat(store.runCounts(null, null).spaceBytes()).isZero();

            store.delete("a");
            store.delete("d");
            assertThat(store.spaceUsed("class-1")).isEqualTo(250);
            store.delete("b");
            assertThat(store.spaceUsed("class-1")).isZero();
            assertThat(store.spaceUsed("client-9")).isEqualTo(40);
        }
    }

    /**
     * On PostgreSQL a new session is stored only within the limits, counted by the one statement
     * that stores it; refused, nothing of it is stored and the counts say why.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aNewSessionIsStoredInOneStatementOnlyWithinTheLimitsItCounts(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            if (!database.isShared()) {
                return; // one node: the training service counts its own runs
            }
            database.channel(); // looked up once, at the first notice
            SessionStore web = new SessionStore(database, false);
            long before = database.statementsSoFar();
            assertThat(web.insertIfRoom(session("a", "h-a", RunStatus.QUEUED, 1), "x,y\n1,2\n", "client-9", 100,
                    new SessionStore.Room(null, "client-9", 2, 10, 10, 150))).isEmpty();
            assertThat(database.statementsSoFar() - before).as("one statement").isEqualTo(1);
            assertThat(web.insertIfRoom(session("b", "h-b", RunStatus.QUEUED, 2), "x,y\n3,4\n", "client-9", 40,
                    new SessionStore.Room(null, "client-9", 2, 10, 10, 150))).isEmpty();

            assertThat(web.insertIfRoom(session("c", "h-c", RunStatus.QUEUED, 3), "x,y\n5,6\n", "client-9", 10,
                    new SessionStore.Room(null, "client-9", 2, 10, 10, 150)))
                    .as("its two runs going").contains(new SessionStore.RunCounts(2, 2, 0, 140));
            assertThat(web.insertIfRoom(session("c", "h-c", RunStatus.QUEUED, 3), "x,y\n5,6\n", "client-9", 20,
                    new SessionStore.Room(null, "client-9", 9, 10, 10, 150)))
                    .as("its space over the limit").contains(new SessionStore.RunCounts(2, 2, 0, 140));
            assertThat(web.insertIfRoom(session("c", "h-c", RunStatus.QUEUED, 3), "x,y\n5,6\n", null, 0,
                    new SessionStore.Room("student-1", null, 9, 2, 10, Long.MAX_VALUE)))
                    .as("the queue full").contains(new SessionStore.RunCounts(0, 2, 0, 0));
            assertThat(web.find("c")).as("refused: not stored").isEmpty();
            assertThat(web.spaceUsed("client-9")).isEqualTo(140);
            int dataStored = database.reader().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM datasets WHERE hash = 'h-c'").mapTo(Integer.class).one());
            assertThat(dataStored).as("nor its data").isZero();

            assertThat(web.insertIfRoom(session("c", "h-c", RunStatus.QUEUED, 3), "x,y\n5,6\n", "client-9", 10,
                    new SessionStore.Room(null, "client-9", 3, 10, 10, 150))).isEmpty();
            assertThat(web.find("c").orElseThrow().ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(web.spaceUsed("client-9")).isEqualTo(150);
            assertThat(web.runCounts(null, "client-9")).isEqualTo(new SessionStore.RunCounts(3, 3, 0, 150));
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theUpgradeTotalsTheSpacesOfTheSessionsStoredBefore(DatabaseConfig config) throws Exception {
        // the schema as version 16 left it, three sessions in two spaces and one counted against none
        org.flywaydb.core.Flyway.configure().dataSource(config.url(), config.user(), config.password())
                .locations("classpath:db/migration").javaMigrations(new EpochsIntoBatches(), new BatchCompression())
                .target("16").load().migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(config.url(), config.user(),
                config.password())) {
            c.createStatement().execute("INSERT INTO datasets (hash, csv, created_at) VALUES ('h', 'x,y\n1,2\n', 1)");
            try (var insert = c.prepareStatement("""
                    INSERT INTO sessions (id, owner_hash, status, data_hash, inputs, targets, network, training,
                                          created_at, space, data_bytes)
                    VALUES (?, 'o', 'finished', 'h', '["x"]', '["y"]', '{}', '{}', 1, ?, ?)""")) {
                Object[][] rows = {{"a", "class-1", 100}, {"b", "class-1", 20}, {"c", "client-9", 7}, {"d", null, 0}};
                for (Object[] row : rows) {
                    insert.setString(1, (String) row[0]);
                    insert.setString(2, (String) row[1]);
                    insert.setLong(3, (Integer) row[2]);
                    insert.executeUpdate();
                }
            }
        }
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            assertThat(store.spaceUsed("class-1")).isEqualTo(120);
            assertThat(store.spaceUsed("client-9")).isEqualTo(7);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void unfinishedRunsBecomeInterruptedWithTheirHistory(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("running", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            store.insert(session("queued", "h", RunStatus.QUEUED, 2), "x,y\n1,2\n");
            store.insert(session("done", "h", RunStatus.QUEUED, 3), "x,y\n1,2\n");
            store.insert(session("draft", "h", RunStatus.DRAFT, 4), "x,y\n1,2\n");
            store.record("running", epochs(1, 3), new Ending(RunStatus.RUNNING, null, 10, 0), null);
            store.record("done", epochs(1, 2), new Ending(RunStatus.FINISHED, null, 10, 20), null);

            assertThat(store.interruptOrphaned(99)).as("a node never interrupts its own runs").isZero();
            try (Database restarted = Database.open(config)) { // the next start: a node of its own
                assertThat(new SessionStore(restarted).interruptOrphaned(99)).isEqualTo(2);
            }
            assertThat(store.find("running").orElseThrow().ending())
                    .isEqualTo(new Ending(RunStatus.INTERRUPTED, null, 10, 99));
            assertThat(store.history("running")).hasSize(3);
            assertThat(store.find("queued").orElseThrow().ending().status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(store.find("done").orElseThrow().ending()).isEqualTo(new Ending(RunStatus.FINISHED, null, 10, 20));
            assertThat(store.find("draft").orElseThrow().ending().status()).isEqualTo(RunStatus.DRAFT);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void dataIsStoredOncePerContentAndDeletedWithItsLastSession(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("a", "shared", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            store.insert(session("b", "shared", RunStatus.QUEUED, 2), "x,y\n1,2\n");
            store.record("a", epochs(1, 4), null, null);

            store.delete("a");
            assertThat(store.find("a")).isEmpty();
            assertThat(store.history("a")).isEmpty();
            assertThat(store.data("shared")).as("b still trains on it").isPresent();
            store.delete("b");
            assertThat(store.data("shared")).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRestartClearsHistoryAndResultAndTakesTheNewSpec(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("a", "old", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            store.record("a", epochs(1, 4), new Ending(RunStatus.STOPPED, null, 5, 6), null);
            store.rename("a", "Mi sesión");
            TrainingSpec faster = TRAINING.withEpochs(5);
            store.restart(new StoredSession("a", "owner-a", null, new Ending(RunStatus.QUEUED, null, 0, 0), "celsius",
                    "new", List.of(), List.of(), NETWORK, faster, null, 1, 0, null, null, 500), "c,f\n0,32\n");

            StoredSession found = store.find("a").orElseThrow();
            assertThat(found.ending()).isEqualTo(new Ending(RunStatus.QUEUED, null, 0, 0));
            assertThat(found.trainingRows()).isEqualTo(500);
            assertThat(found.training()).isEqualTo(faster);
            assertThat(found.dataset()).isEqualTo("celsius");
            assertThat(found.name()).as("a re-run keeps the name").isEqualTo("Mi sesión");
            assertThat(found.epochCount()).isZero();
            assertThat(store.history("a")).isEmpty();
            assertThat(store.data("new")).contains("c,f\n0,32\n");
            assertThat(store.data("old")).as("no session uses it any more").isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void listingsAreNewestFirstWithAThinnedCurve(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("old", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            store.insert(session("new", "h", RunStatus.QUEUED, 2), "x,y\n1,2\n");
            store.record("old", epochs(1, 1000), new Ending(RunStatus.FINISHED, null, 1, 2), null);

            List<SessionListing> listings = store.listings(List.of("old", "new", "unknown"));
            assertThat(listings).extracting(SessionListing::id).containsExactly("new", "old");
            SessionListing old = listings.get(1);
            assertThat(old.status()).isEqualTo("finished");
            assertThat(old.epochCount()).isEqualTo(1000);
            assertThat(old.finalLoss()).isEqualTo(1.0 / 1000);
            assertThat(old.curve().length).isBetween(20, 45);
            assertThat(old.curve()[0]).as("starts at the first epoch").isEqualTo(1.0);
            assertThat(old.curve()[old.curve().length - 1]).as("ends at the last").isEqualTo(1.0 / 1000);
            assertThat(listings.get(0).curve()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aHistoryStoredARowAnEpochIsMovedIntoBatchesByTheUpgrade(DatabaseConfig config) throws Exception {
        // the schema as version 12 left it, a history of 2500 epochs and one of 2 in its epochs table
        org.flywaydb.core.Flyway.configure().dataSource(config.url(), config.user(), config.password())
                .locations("classpath:db/migration").target("12").load().migrate();
        List<EpochEvent> longer = epochs(1, 2500);
        List<EpochEvent> shorter = epochs(1, 2);
        com.fasterxml.jackson.databind.ObjectMapper json = sinapsis.json.Json.mapper();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(config.url(), config.user(),
                config.password())) {
            c.setAutoCommit(false);
            c.createStatement().execute("INSERT INTO datasets (hash, csv, created_at) VALUES ('h', 'x,y\n1,2\n', 1)");
            try (var insert = c.prepareStatement("""
                    INSERT INTO sessions (id, owner_hash, status, data_hash, inputs, targets, network, training,
                                          created_at, epoch_count)
                    VALUES (?, 'o', 'finished', 'h', '["x"]', '["y"]', ?, ?, 1, ?)""")) {
                for (var run : Map.of("longer", longer, "shorter", shorter).entrySet()) {
                    insert.setString(1, run.getKey());
                    insert.setString(2, json.writeValueAsString(NETWORK));
                    insert.setString(3, json.writeValueAsString(TRAINING));
                    insert.setLong(4, run.getValue().size());
                    insert.executeUpdate();
                }
            }
            try (var insert = c.prepareStatement(
                    "INSERT INTO epochs (session_id, seq, epoch, loss, val_loss, metrics) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (var run : Map.of("longer", longer, "shorter", shorter).entrySet()) {
                    for (EpochEvent e : run.getValue()) {
                        insert.setString(1, run.getKey());
                        insert.setLong(2, e.seq());
                        insert.setInt(3, e.epoch());
                        insert.setDouble(4, e.loss());
                        insert.setObject(5, e.valLoss(), java.sql.Types.DOUBLE);
                        insert.setString(6, e.metrics().isEmpty() ? null : json.writeValueAsString(e.metrics()));
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        }

        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            assertThat(store.history("longer")).isEqualTo(longer);
            assertThat(store.history("shorter")).isEqualTo(shorter);
            assertThat(store.historySince("longer", 1999)).isEqualTo(longer.subList(1999, 2500));
            int rows = database.reader().withHandle(h -> h.createQuery(
                    "SELECT COUNT(*) FROM epoch_batches WHERE session_id = 'longer'").mapTo(Integer.class).one());
            assertThat(rows).as("rows of at most 1000 epochs").isEqualTo(3);
            assertThat(store.listings(List.of("longer")).get(0).curve()).startsWith(1.0).endsWith(1.0 / 2500);
        }
    }

    /**
     * On PostgreSQL a batch's bytes are compressed with lz4 where the server has it (pglz, the
     * default, made the batch's INSERT the costliest statement of a class), else kept out of line
     * uncompressed; the history reads back the same either way. SQLite keeps them as they are.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aLongBatchIsStoredAsTheServerCompressesFastestAndReadsBackTheSame(DatabaseConfig config) throws Exception {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("long", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            List<EpochEvent> history = epochs(1, 1000);
            store.record("long", history, new Ending(RunStatus.FINISHED, null, 1, 2), null);
            assertThat(store.history("long")).isEqualTo(history);
            if (config.isSqlite()) {
                return;
            }
            boolean lz4 = database.reader().withHandle(h -> {
                try (java.sql.Statement statement = h.getConnection().createStatement()) {
                    return BatchCompression.hasLz4(statement);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            var stored = database.reader().withHandle(h -> h.createQuery("""
                            SELECT pg_column_compression(events) AS method, pg_column_size(events) AS stored,
                                   octet_length(events) AS raw
                            FROM epoch_batches WHERE session_id = 'long'""")
                    .mapToMap().one());
            if (lz4) {
                assertThat(stored.get("method")).isEqualTo("lz4");
                assertThat(((Number) stored.get("stored")).intValue()).isLessThan(((Number) stored.get("raw")).intValue());
            } else {
                assertThat(stored.get("method")).as("stored out of line, not compressed").isNull();
                String storage = database.reader().withHandle(h -> h.createQuery("""
                        SELECT a.attstorage FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                        WHERE c.relname = 'epoch_batches' AND a.attname = 'events'
                          AND c.relnamespace = current_schema()::regnamespace""").mapTo(String.class).one());
                assertThat(storage).isEqualTo("e");
            }
        }
    }

    /** Another node's runs, held under its heartbeat (the lease), as every node's start-up and sweep see them. */
    @ParameterizedTest
    @MethodSource("databases")
    void aNodeReclaimsOnlyTheRunsOfNodesWhoseHeartbeatStopped(DatabaseConfig config) {
        java.time.Duration lease = java.time.Duration.ofSeconds(10);
        try (Database a = Database.open(config, lease); Database b = Database.open(config, lease)) {
            long now = 1_000_000;
            new NodeStore(a).register("all", "host-a", "CPU", "x86", 2, "test", now, now);
            new NodeStore(b).register("all", "host-b", "CPU", "x86", 2, "test", now, now);
            SessionStore storeA = new SessionStore(a);
            SessionStore storeB = new SessionStore(b);
            storeA.insert(session("held-by-a", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            storeA.record("held-by-a", epochs(1, 2), new Ending(RunStatus.RUNNING, null, 10, 0), null);
            storeB.insert(session("held-by-b", "h", RunStatus.QUEUED, 2), "x,y\n1,2\n");

            if (!a.isShared()) {
                // the embedded store has one node by construction: what it finds unfinished was its own
                assertThat(storeB.interruptOrphaned(now)).isEqualTo(1);
                assertThat(storeA.find("held-by-a").orElseThrow().ending().status()).isEqualTo(RunStatus.INTERRUPTED);
                assertThat(storeB.find("held-by-b").orElseThrow().ending().status()).isEqualTo(RunStatus.QUEUED);
                assertThat(new NodeStore(b).alive(now)).as("b's start replaced the rows of earlier starts")
                        .extracting(NodeStore.StoredNode::host).containsExactly("host-b");
                return;
            }
            assertThat(storeB.interruptOrphaned(now + 5_000)).as("a's heartbeat is 5 s old, within the lease")
                    .isZero();
            assertThat(new NodeStore(b).alive(now + 5_000)).extracting(NodeStore.StoredNode::host,
                    NodeStore.StoredNode::runs).containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("host-a", 1),
                    org.assertj.core.groups.Tuple.tuple("host-b", 1));
            assertThat(new NodeStore(b).queued()).isEqualTo(1);

            assertThat(new NodeStore(b).beat(now + 11_000)).isTrue();
            assertThat(storeB.interruptOrphaned(now + 11_000)).as("a silent for longer than the lease").isEqualTo(1);
            assertThat(storeA.find("held-by-a").orElseThrow().ending())
                    .isEqualTo(new Ending(RunStatus.INTERRUPTED, null, 10, now + 11_000));
            assertThat(storeA.history("held-by-a")).hasSize(2);
            assertThat(storeB.find("held-by-b").orElseThrow().ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(new NodeStore(b).alive(now + 11_000)).extracting(NodeStore.StoredNode::host)
                    .containsExactly("host-b");
            assertThat(new NodeStore(b).forgetGone(now + 11_000, 10_000)).isEqualTo(1);
            assertThat(new NodeStore(a).beat(now + 12_000)).as("a's row is gone: it must register again").isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aCleanStopInterruptsWhatTheNodeHoldsAndNothingElse(DatabaseConfig config) {
        try (Database a = Database.open(config); Database b = Database.open(config)) {
            new SessionStore(a).insert(session("mine", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            new SessionStore(b).insert(session("theirs", "h", RunStatus.QUEUED, 2), "x,y\n1,2\n");
            new NodeStore(a).register("all", "host-a", "CPU", "x86", 1, "test", 1, 1);

            assertThat(new SessionStore(a).interruptHeldHere(50)).isEqualTo(1);
            new NodeStore(a).leave();

            assertThat(new SessionStore(a).find("mine").orElseThrow().ending().status())
                    .isEqualTo(RunStatus.INTERRUPTED);
            assertThat(new SessionStore(a).find("theirs").orElseThrow().ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(new NodeStore(b).alive(50)).isEmpty();
        }
    }

    /** A gone node's running run goes back to the queue from its start; one node claims it; the gone node's late writes do nothing. */
    @ParameterizedTest
    @MethodSource("databases")
    void aGoneNodesRunIsQueuedAgainAndClaimedByOneNodeWhoseWritesAloneCount(DatabaseConfig config) {
        java.time.Duration lease = java.time.Duration.ofSeconds(10);
        try (Database a = Database.open(config, lease); Database b = Database.open(config, lease);
             Database c = Database.open(config, lease)) {
            if (!a.isShared()) {
                assertThat(new SessionStore(b).requeueOrphaned(1)).as("the embedded store has one node").isZero();
                assertThat(new SessionStore(b).claimNext()).isEmpty();
                return;
            }
            long now = System.currentTimeMillis();
            new NodeStore(a).register("all", "host-a", "CPU", "x86", 1, "test", now - 60_000, now - 60_000);
            for (Database node : List.of(b, c)) {
                new NodeStore(node).register("worker", "host", "CPU", "x86", 1, "test", now, now);
            }
            SessionStore storeA = new SessionStore(a);
            storeA.insert(session("trained-by-a", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            storeA.record("trained-by-a", epochs(1, 5), new Ending(RunStatus.RUNNING, null, 10, 0), null);

            assertThat(new SessionStore(b).requeueOrphaned(now)).isEqualTo(1);
            assertThat(storeA.find("trained-by-a").orElseThrow().ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(storeA.history("trained-by-a")).as("it starts over").isEmpty();
            assertThat(new SessionStore(c).waitingPosition("trained-by-a")).isEqualTo(1);

            assertThat(new SessionStore(b).claimNext()).contains("trained-by-a");
            assertThat(new SessionStore(c).claimNext()).as("one node gets it").isEmpty();
            assertThat(new SessionStore(c).waitingPosition("trained-by-a")).isZero();
            storeA.recordAll(List.of(new SessionStore.RunWrite("trained-by-a", epochs(6, 7), null, null,
                    new Checkpoint(7, new byte[] {7}))));
            storeA.record("trained-by-a", epochs(8, 9), new Ending(RunStatus.FINISHED, null, 10, 20), null);
            assertThat(storeA.history("trained-by-a")).as("a's late writes are fenced off").isEmpty();
            assertThat(storeA.checkpoint("trained-by-a")).as("its checkpoint too").isEmpty();
            new SessionStore(b).record("trained-by-a", epochs(1, 3), new Ending(RunStatus.RUNNING, null, 30, 0), null);
            assertThat(storeA.history("trained-by-a")).hasSize(3);
            assertThat(storeA.find("trained-by-a").orElseThrow().ending().status()).isEqualTo(RunStatus.RUNNING);
        }
    }

    /** A checkpoint is stored with its epochs, replaced by the next, and gone once the run ends or starts again. */
    @ParameterizedTest
    @MethodSource("databases")
    void aCheckpointLivesWhileItsRunDoes(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            SessionStore store = new SessionStore(database);
            store.insert(session("c", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            store.recordAll(List.of(new SessionStore.RunWrite("c", epochs(1, 4),
                    new Ending(RunStatus.RUNNING, null, 10, 0), null, new Checkpoint(3, new byte[] {1, 2, 3}))));
            assertThat(store.checkpoint("c").orElseThrow().state()).containsExactly(1, 2, 3);
            store.recordAll(List.of(new SessionStore.RunWrite("c", epochs(5, 6), null, null,
                    new Checkpoint(6, new byte[] {6}))));
            assertThat(store.checkpoint("c").orElseThrow().epoch()).isEqualTo(6);
            store.record("c", List.of(), new Ending(RunStatus.FINISHED, null, 10, 20), null);
            assertThat(store.checkpoint("c")).as("a finished run needs none").isEmpty();

            store.insert(session("d", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            store.recordAll(List.of(new SessionStore.RunWrite("d", epochs(1, 2), null, null,
                    new Checkpoint(2, new byte[] {2}))));
            store.restart(session("d", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            assertThat(store.checkpoint("d")).as("a new run starts from nothing").isEmpty();
            store.recordAll(List.of(new SessionStore.RunWrite("d", epochs(1, 2), null, null,
                    new Checkpoint(2, new byte[] {2}))));
            store.delete("d");
            assertThat(store.checkpoint("d")).isEmpty();
        }
    }

    /** Registers node {@code gone}, whose last heartbeat was a minute ago, and node {@code live}, beating now. */
    private static void goneAndLive(Database gone, Database live, long now) {
        new NodeStore(gone).register("all", "host-a", "CPU", "x86", 1, "test", now - 60_000, now - 60_000);
        new NodeStore(live).register("worker", "host-b", "CPU", "x86", 1, "test", now, now);
    }

    /** A gone node's run goes back to the queue with its history cut to its checkpoint: the claiming node goes on from there. */
    @ParameterizedTest
    @MethodSource("databases")
    void aGoneNodesRunKeepsItsHistoryUpToItsCheckpoint(DatabaseConfig config) {
        java.time.Duration lease = java.time.Duration.ofSeconds(10);
        try (Database a = Database.open(config, lease); Database b = Database.open(config, lease)) {
            if (!a.isShared()) {
                return; // one node: nobody to go on (covered above)
            }
            long now = System.currentTimeMillis();
            goneAndLive(a, b, now);
            SessionStore storeA = new SessionStore(a);
            storeA.insert(session("checkpointed", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            storeA.recordAll(List.of(new SessionStore.RunWrite("checkpointed", epochs(1, 5),
                    new Ending(RunStatus.RUNNING, null, 10, 0), null, new Checkpoint(4, new byte[] {4}))));
            storeA.record("checkpointed", epochs(6, 7), null, null);

            SessionStore storeB = new SessionStore(b);
            assertThat(storeB.requeueOrphaned(now)).isEqualTo(1);
            assertThat(storeB.history("checkpointed")).extracting(EpochEvent::epoch).containsExactly(1, 2, 3, 4);
            StoredSession row = storeB.find("checkpointed").orElseThrow();
            assertThat(row.ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(row.ending().startedAt()).as("it started long ago").isEqualTo(10);
            assertThat(storeB.runStates(List.of("checkpointed"), now).get("checkpointed").epochCount()).isEqualTo(4);
            assertThat(storeB.checkpoint("checkpointed").orElseThrow().epoch()).isEqualTo(4);
            assertThat(storeB.claimNext()).contains("checkpointed");
            storeB.record("checkpointed", epochs(5, 6), new Ending(RunStatus.RUNNING, null, 10, 0), null);
            assertThat(storeB.history("checkpointed")).extracting(EpochEvent::epoch).containsExactly(1, 2, 3, 4, 5, 6);
        }
    }

    /**
     * A gone node's paused run waits paused, held by no node: not claimed, not interrupted; stepped
     * from any node it is queued, and its claimer is told to train one epoch; resumed, just queued;
     * stopped while it waits, stopped.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void aGoneNodesPausedRunWaitsPausedForItsOwner(DatabaseConfig config) {
        java.time.Duration lease = java.time.Duration.ofSeconds(10);
        try (Database a = Database.open(config, lease); Database b = Database.open(config, lease)) {
            if (!a.isShared()) {
                return; // one node: a paused run is interrupted with it (covered above)
            }
            long now = System.currentTimeMillis();
            goneAndLive(a, b, now);
            SessionStore storeA = new SessionStore(a);
            for (String id : List.of("stepped", "resumed", "stopped")) {
                storeA.insert(session(id, "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
                storeA.recordAll(List.of(new SessionStore.RunWrite(id, epochs(1, 5),
                        new Ending(RunStatus.PAUSED, null, 10, 0), null, new Checkpoint(5, new byte[] {5}))));
            }

            SessionStore storeB = new SessionStore(b);
            assertThat(storeB.requeueOrphaned(now)).isEqualTo(3);
            assertThat(storeB.interruptOrphaned(now)).as("they wait for their owner").isZero();
            assertThat(storeB.find("stepped").orElseThrow().ending().status()).isEqualTo(RunStatus.PAUSED);
            assertThat(storeB.history("stepped")).hasSize(5);
            assertThat(storeB.claimNext()).as("a paused run is not trained").isEmpty();
            assertThat(storeB.runStates(List.of("stepped"), now).get("stepped").heldElsewhere()).isTrue();

            assertThat(storeB.queueIfParked("stepped", true, now + 1)).isTrue();
            assertThat(storeB.queueIfParked("stepped", true, now + 2)).as("queued already").isFalse();
            SessionStore.Claim stepped = storeB.claim(Integer.MAX_VALUE).orElseThrow();
            assertThat(List.of(stepped.id(), stepped.controls())).containsExactly("stepped", List.of("step"));
            assertThat(stepped.session().epochCount()).as("the claim's row: its epochs to go on from").isEqualTo(5);
            assertThat(storeB.takeControls()).as("the step came with the claim").isEmpty();
            assertThat(storeB.checkpoint("stepped").orElseThrow().epoch()).isEqualTo(5);

            assertThat(storeB.queueIfParked("resumed", false, now + 3)).isTrue();
            SessionStore.Claim resumed = storeB.claim(Integer.MAX_VALUE).orElseThrow();
            assertThat(List.of(resumed.id(), resumed.controls())).containsExactly("resumed", List.of());

            assertThat(storeB.stopIfWaiting("stopped", now + 4)).isTrue();
            assertThat(storeB.find("stopped").orElseThrow().ending().status()).isEqualTo(RunStatus.STOPPED);
            assertThat(storeB.queueIfParked("stopped", false, now + 5)).isFalse();
            assertThat(storeB.queueIfParked("stepped", false, now + 5)).as("held by b now").isFalse();
        }
    }

    /** Claims go to the class holding fewest runs, then the student holding fewest, oldest first; a student at the limit waits. */
    @ParameterizedTest
    @MethodSource("databases")
    void claimsAreFairAcrossClassesAndStudentsAndKeepTheLimitPerStudent(DatabaseConfig config) {
        try (Database web = Database.open(config); Database worker = Database.open(config)) {
            if (!web.isShared()) {
                return; // one node: nothing waits in the store
            }
            long now = System.currentTimeMillis();
            new NodeStore(web).register("web", "h", "CPU", "x86", 0, "test", now, now);
            new NodeStore(worker).register("worker", "h", "CPU", "x86", 4, "test", now, now);
            ClassStore classes = new ClassStore(web);
            for (String code : List.of("AAAAAA", "BBBBBB")) {
                classes.insertClass(new ClassStore.StoredClass(code, code, "teacher-" + code, "{}", now));
            }
            Map<String, String> classOf = Map.of("ana", "AAAAAA", "abel", "AAAAAA", "bea", "BBBBBB");
            classOf.forEach((student, code) -> classes.insertStudent(
                    new ClassStore.StoredStudent(student, code, student, "token-" + student, now)));
            SessionStore queueing = new SessionStore(web, false);
            Map<String, String> studentOf = Map.of("s1-ana", "ana", "s2-ana", "ana", "s3-abel", "abel", "s4-bea", "bea");
            for (String id : List.of("s1-ana", "s2-ana", "s3-abel", "s4-bea")) {
                queueing.insert(session(id, "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
                classes.assignSession(id, studentOf.get(id));
            }
            SessionStore claiming = new SessionStore(worker);
            assertThat(claiming.claimNext(1)).as("oldest first").contains("s1-ana");
            assertThat(claiming.claimNext(1)).as("the class holding none").contains("s4-bea");
            assertThat(claiming.claimNext(1)).as("the student holding none").contains("s3-abel");
            assertThat(claiming.claimNext(1)).as("ana holds her one run").isEmpty();
            claiming.record("s1-ana", List.of(), new Ending(RunStatus.FINISHED, null, 1, 2), null);
            assertThat(claiming.claimNext(1)).contains("s2-ana");
        }
    }

    /** A run handed back waits again from now with its history up to its stored checkpoint; only its holder may, only with that checkpoint. */
    @ParameterizedTest
    @MethodSource("databases")
    void aRunHandedBackWaitsAgainFromItsCheckpoint(DatabaseConfig config) {
        try (Database web = Database.open(config); Database worker = Database.open(config);
             Database other = Database.open(config)) {
            if (!web.isShared()) {
                return;
            }
            long now = System.currentTimeMillis();
            for (Database node : List.of(web, worker, other)) {
                new NodeStore(node).register("all", "h", "CPU", "x86", 1, "test", now, now);
            }
            new SessionStore(web, false).insert(session("long", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            SessionStore store = new SessionStore(worker);
            assertThat(store.claimNext()).contains("long");
            store.recordAll(List.of(new SessionStore.RunWrite("long", epochs(1, 3),
                    new Ending(RunStatus.RUNNING, null, 10, 0), null, new Checkpoint(3, new byte[] {3}))));
            store.record("long", epochs(4, 4), null, null);

            assertThat(new SessionStore(other).handBack("long", 3, now)).isEqualTo(SessionStore.HandBack.NOT_HELD);
            assertThat(store.handBack("long", 4, now)).isEqualTo(SessionStore.HandBack.CHECKPOINT_NOT_STORED);
            assertThat(store.history("long")).hasSize(4);
            new SessionStore(web, false).requestControl("long", "stop"); // asked of the worker as it leaves
            assertThat(store.handBack("long", 3, now + 5)).isEqualTo(SessionStore.HandBack.LEFT);
            assertThat(store.history("long")).extracting(EpochEvent::epoch).containsExactly(1, 2, 3);
            assertThat(store.find("long").orElseThrow().ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(store.runStates(List.of("long"), now).get("long").heldElsewhere()).as("waiting").isTrue();
            assertThat(store.runsWaitingSince(now + 5)).isTrue();
            assertThat(store.runsWaitingSince(now + 4)).isFalse();
            SessionStore.Claim stopped = new SessionStore(other).claim(Integer.MAX_VALUE).orElseThrow();
            assertThat(List.of(stopped.id(), stopped.controls())).as("the stop goes with the run")
                    .containsExactly("long", List.of("stop"));
            assertThat(stopped.session().epochCount()).as("cut back to its checkpoint").isEqualTo(3);
            assertThat(stopped.session().ending().status()).isEqualTo(RunStatus.QUEUED);
            assertThat(new SessionStore(other).takeControls()).isEmpty();
            assertThat(new SessionStore(other).checkpoint("long").orElseThrow().epoch()).isEqualTo(3);
        }
    }

    /** On PostgreSQL a worker's claim is one statement, whether a run waits for it or none does. */
    @ParameterizedTest
    @MethodSource("databases")
    void aClaimIsOneStatementWithARunWaitingOrNone(DatabaseConfig config) {
        try (Database web = Database.open(config); Database worker = Database.open(config)) {
            if (!web.isShared()) {
                return;
            }
            SessionStore store = new SessionStore(worker);
            long before = worker.statementsSoFar();
            assertThat(store.claim(Integer.MAX_VALUE)).as("nothing waits").isEmpty();
            assertThat(worker.statementsSoFar() - before).isEqualTo(1);

            new SessionStore(web, false).insert(session("waits", "h", RunStatus.QUEUED, 1), "x,y\n1,2\n");
            long beforeClaim = worker.statementsSoFar();
            assertThat(store.claim(Integer.MAX_VALUE).orElseThrow().id()).isEqualTo("waits");
            assertThat(worker.statementsSoFar() - beforeClaim).as("the claim that takes it").isEqualTo(1);
            assertThat(store.claim(Integer.MAX_VALUE)).as("taken").isEmpty();
        }
    }

    /** An image network waits a moment for a CUDA worker that is up; a Dense one goes to any node; with no GPU up, the CPU takes it. */
    @ParameterizedTest
    @MethodSource("databases")
    void imageNetworksGoToACudaWorkerFirst(DatabaseConfig config) {
        try (Database web = Database.open(config); Database cpu = Database.open(config);
             Database gpu = Database.open(config)) {
            if (!web.isShared()) {
                return;
            }
            long now = System.currentTimeMillis();
            new NodeStore(web).register("web", "h", "CPU", "x86", 0, "test", now, now);
            new NodeStore(cpu).register("worker", "h", "CPU", "x86", 2, "test", now, now);
            new NodeStore(gpu).register("worker", "h", "CUDA", "H200", 1, "test", now, now);
            NetworkSpec cnn = NetworkSpec.of(LayerSpec.conv2d(4, 3, 1, sinapsis.model.Padding.VALID, Activation.RELU),
                    LayerSpec.flatten(), LayerSpec.dense(2, Activation.SOFTMAX));
            SessionStore queueing = new SessionStore(web, false);
            queueing.insert(new StoredSession("cnn", "owner", null, new Ending(RunStatus.QUEUED, null, 0, 0), null, "h",
                    List.of("x"), List.of("y"), cnn, TRAINING, null, now, 0, null, null, 0), "x,y\n1,2\n");
            queueing.insert(session("dense", "h", RunStatus.QUEUED, now), "x,y\n1,2\n");
            assertThat(new SessionStore(cpu).claimNext()).as("the Dense run; the CNN waits for the GPU").contains("dense");
            assertThat(new SessionStore(cpu).claimNext()).isEmpty();
            assertThat(new SessionStore(gpu).claimNext()).contains("cnn");

            queueing.insert(new StoredSession("cnn-2", "owner", null, new Ending(RunStatus.QUEUED, null, 0, 0), null,
                    "h", List.of("x"), List.of("y"), cnn, TRAINING, null, now, 0, null, null, 0), "x,y\n1,2\n");
            new NodeStore(gpu).beat(now - 60_000); // the GPU node's heartbeat stops
            assertThat(new SessionStore(cpu).claimNext()).as("no GPU up: the CPU takes it").contains("cnn-2");
        }
    }
}
