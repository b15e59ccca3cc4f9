package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sinapsis.store.ChallengeStore.StoredAttempt;
import sinapsis.store.ChallengeStore.StoredChallenge;
import sinapsis.store.ClassStore.StoredClass;
import sinapsis.store.ClassStore.StoredStudent;
import sinapsis.support.TestDatabases;

/** Challenges and attempts on SQLite and, where one is configured (always under CI), on PostgreSQL. */
class ChallengeStoreTest {
    static Stream<DatabaseConfig> databases() {
        return TestDatabases.all().stream();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aChallengeKeepsItsHeldOutRowsApartAndAnAttemptEndsOnce(DatabaseConfig config) {
        try (Database database = Database.open(config)) {
            new ClassStore(database).insertClass(new StoredClass("ABC234", "Redes", "t".repeat(64), "{}", 1));
            ChallengeStore store = new ChallengeStore(database);
            StoredChallenge row = new StoredChallenge("c1", "ABC234", "draft", "{\"a\": 1}", 150, 50, 10, 10);
            store.insert(row, "x,y\n1,2\n");
            assertThat(store.find("c1")).contains(row);
            assertThat(store.heldOut("c1")).isEqualTo("x,y\n1,2\n");

            // an update without new held-out rows keeps them; with new ones replaces them
            store.update(new StoredChallenge("c1", "ABC234", "open", "{\"a\": 2}", 150, 50, 10, 20), null);
            assertThat(store.heldOut("c1")).isEqualTo("x,y\n1,2\n");
            assertThat(store.find("c1").orElseThrow().state()).isEqualTo("open");
            store.update(new StoredChallenge("c1", "ABC234", "open", "{\"a\": 3}", 140, 60, 10, 30), "x,y\n3,4\n");
            assertThat(store.heldOut("c1")).isEqualTo("x,y\n3,4\n");
            assertThat(store.ofClass("ABC234")).extracting(StoredChallenge::heldOutRows).containsExactly(60);

            assertThat(store.insertAttemptWithin(new StoredAttempt("a1", "c1", "s1", "session-1", "going", 100, null,
                    null, null, null, null), null)).isTrue();
            assertThat(store.endAttempt("a1", "scored", 200, 0.95, "{\"test_accuracy\": 0.95}", 300,
                    "{\"loss\": [1]}")).isTrue();
            assertThat(store.endAttempt("a1", "void", 300, null, null, null, null)).as("already ended").isFalse();
            StoredAttempt ended = store.attemptsOfSession("session-1").get(0);
            assertThat(ended).isEqualTo(new StoredAttempt("a1", "c1", "s1", "session-1", "scored", 100, 200L, 0.95,
                    "{\"test_accuracy\": 0.95}", 300, "{\"loss\": [1]}"));
            assertThat(store.insertAttemptWithin(new StoredAttempt("a2", "c1", "s1", "session-2", "going", 150, null,
                    null, null, null, null), null)).isTrue();
            assertThat(store.endAttempt("a2", "void", 250, null, null, null, null)).isTrue();
            assertThat(store.attempts("c1")).extracting(StoredAttempt::counts).containsExactly(true, false);
        }
    }

    /**
     * Two nodes (two pools on one PostgreSQL; on SQLite, which one process holds, its one pool)
     * recording the same student's attempts at once: exactly as many as the limit are let through,
     * and a void one gives its place back.
     */
    @ParameterizedTest
    @MethodSource("databases")
    void attemptsRecordedAtOnceFromTwoNodesStopAtTheLimit(DatabaseConfig config) throws Exception {
        try (Database one = Database.open(config); Database other = config.isSqlite() ? null : Database.open(config)) {
            ClassStore classes = new ClassStore(one);
            classes.insertClass(new StoredClass("ABC234", "Redes", "t".repeat(64), "{}", 1));
            classes.insertStudent(new StoredStudent("s1", "ABC234", "Ana", "h".repeat(64), 1));
            ChallengeStore store = new ChallengeStore(one);
            store.insert(new StoredChallenge("c1", "ABC234", "open", "{}", 150, 50, 10, 10), "x,y\n1,2\n");
            List<ChallengeStore> nodes = List.of(store, other == null ? store : new ChallengeStore(other));
            int tries = 16;
            ExecutorService threads = Executors.newFixedThreadPool(tries);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> recorded = new ArrayList<>();
                for (int t = 0; t < tries; t++) {
                    ChallengeStore node = nodes.get(t % 2);
                    StoredAttempt attempt = new StoredAttempt("a" + t, "c1", "s1", "session-" + t, "going", t, null,
                            null, null, null, null);
                    recorded.add(threads.submit(() -> {
                        go.await();
                        return node.insertAttemptWithin(attempt, 3);
                    }));
                }
                go.countDown();
                int through = 0;
                for (Future<Boolean> result : recorded) {
                    through += result.get() ? 1 : 0;
                }
                assertThat(through).isEqualTo(3);
            } finally {
                threads.shutdownNow();
            }
            List<StoredAttempt> attempts = store.attempts("c1");
            assertThat(attempts).hasSize(3);
            assertThat(store.insertAttemptWithin(new StoredAttempt("late", "c1", "s1", "session-late", "going", 99,
                    null, null, null, null, null), 3)).as("over the limit").isFalse();
            assertThat(store.endAttempt(attempts.get(0).id(), "void", 100, null, null, null, null)).isTrue();
            assertThat(store.insertAttemptWithin(new StoredAttempt("late", "c1", "s1", "session-late", "going", 99,
                    null, null, null, null, null), 3)).as("in the place of a void one").isTrue();
            assertThat(store.attempts("c1")).filteredOn(StoredAttempt::counts).hasSize(3);
        }
    }
}
