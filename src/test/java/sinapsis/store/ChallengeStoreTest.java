package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sinapsis.store.ChallengeStore.StoredAttempt;
import sinapsis.store.ChallengeStore.StoredChallenge;
import sinapsis.store.ClassStore.StoredClass;
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

            store.insertAttempt(new StoredAttempt("a1", "c1", "s1", "session-1", "going", 100, null, null, null,
                    null, null));
            assertThat(store.endAttempt("a1", "scored", 200, 0.95, "{\"test_accuracy\": 0.95}", 300,
                    "{\"loss\": [1]}")).isTrue();
            assertThat(store.endAttempt("a1", "void", 300, null, null, null, null)).as("already ended").isFalse();
            StoredAttempt ended = store.attemptsOfSession("session-1").get(0);
            assertThat(ended).isEqualTo(new StoredAttempt("a1", "c1", "s1", "session-1", "scored", 100, 200L, 0.95,
                    "{\"test_accuracy\": 0.95}", 300, "{\"loss\": [1]}"));
            store.insertAttempt(new StoredAttempt("a2", "c1", "s1", "session-2", "going", 150, null, null, null,
                    null, null));
            assertThat(store.endAttempt("a2", "void", 250, null, null, null, null)).isTrue();
            assertThat(store.attempts("c1")).extracting(StoredAttempt::counts).containsExactly(true, false);
        }
    }
}
