package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sinapsis.support.TestDatabases;

/**
 * Clients' recent events counted in the database the nodes share: what one node records, another
 * counts; a limit holds over both; events age out of the window and are deleted; kinds and clients
 * are counted apart; addresses are stored hashed; on PostgreSQL the table is unlogged.
 */
class ClientEventStoreTest {
    @Test
    void twoNodesCountTheSameClientsEventsAndTheyAgeOut() {
        DatabaseConfig config = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(config != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        try (Database nodeA = Database.open(config); Database nodeB = Database.open(config)) {
            ClientEventStore createdOnA = new ClientEventStore(nodeA, "created", Duration.ofMinutes(1));
            ClientEventStore createdOnB = new ClientEventStore(nodeB, "created", Duration.ofMinutes(1));
            ClientEventStore failedOnB = new ClientEventStore(nodeB, "join-failed", Duration.ofMinutes(10));
            long now = 1_000_000_000L;
            assertThat(createdOnA.recordUnlessFull("10.0.0.7", now, 3)).isTrue();
            assertThat(createdOnB.recordUnlessFull("10.0.0.7", now + 1, 3)).isTrue();
            assertThat(createdOnA.recordUnlessFull("10.0.0.7", now + 2, 3)).isTrue();
            assertThat(createdOnB.recordUnlessFull("10.0.0.7", now + 3, 3)).as("three on the two nodes").isFalse();
            assertThat(createdOnB.recordUnlessFull("10.0.0.8", now + 3, 3)).as("another client").isTrue();
            assertThat(failedOnB.within("10.0.0.7", now + 3)).as("another kind").isEmpty();
            assertThat(createdOnB.within("10.0.0.7", now + 3)).containsExactly(now, now + 1, now + 2);

            // a minute after the first, it has left the window: room for one more
            assertThat(createdOnA.within("10.0.0.7", now + 60_000)).containsExactly(now + 1, now + 2);
            assertThat(createdOnA.recordUnlessFull("10.0.0.7", now + 60_000, 3)).isTrue();

            failedOnB.record("10.0.0.7", now);
            assertThat(new ClientEventStore(nodeA, "join-failed", Duration.ofMinutes(10)).within("10.0.0.7", now + 5))
                    .containsExactly(now);
            try (var handle = nodeA.reader().open()) {
                assertThat(handle.createQuery("SELECT COUNT(*) FROM client_events WHERE client LIKE '10.%'")
                        .mapTo(Integer.class).one()).as("addresses are stored hashed").isZero();
                // recording a quarter of a window later deletes what left the window (the minute's first)
                createdOnB.record("10.0.0.9", now + 61_000);
                createdOnB.record("10.0.0.9", now + 80_000);
                assertThat(handle.createQuery("SELECT COUNT(*) FROM client_events WHERE kind = 'created' AND at <= :cutoff")
                        .bind("cutoff", now + 20_000).mapTo(Integer.class).one()).isZero();
                assertThat(handle.createQuery("""
                                SELECT relpersistence FROM pg_class
                                WHERE relname = 'client_events' AND relnamespace = current_schema()::regnamespace""")
                        .mapTo(String.class).one()).as("unlogged: a creation's event waits for no flush to disk")
                        .isEqualTo("u");
            }
        }
    }
}
