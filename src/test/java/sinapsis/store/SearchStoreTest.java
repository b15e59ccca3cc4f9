package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import sinapsis.support.TestDatabases;

/**
 * The queue of grid searches: one made on a node that does not train waits for one that does, and
 * one node claims it; its holder alone writes its progress and its end; a gone holder's search waits
 * again (to start over) and its late writes do nothing; a stop is done at once while it waits, else
 * asked of the holder. On the embedded store (one process) nothing waits and nothing is claimed.
 */
class SearchStoreTest {
    private static final Duration LEASE = Duration.ofSeconds(10);

    static Stream<DatabaseConfig> databases() {
        return TestDatabases.all().stream();
    }

    private static void made(SearchStore store, String id, long createdAt) {
        store.insert(id, "h", "{\"grid\":{}}", "queued", createdAt, null, 0, "{\"source\":true}", "Refit",
                "{\"progress\":0}");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSearchMadeWhereNothingTrainsIsClaimedOnceAndAGoneHoldersOneWaitsAgain(DatabaseConfig config) {
        try (Database web = Database.open(config, LEASE);
             Database a = web.isShared() ? Database.open(config, LEASE) : null;
             Database b = web.isShared() ? Database.open(config, LEASE) : null) {
            if (!web.isShared()) {
                SearchStore only = new SearchStore(web);
                made(only, "here", 1);
                assertThat(only.claim()).as("one process: nothing waits for another").isEmpty();
                assertThat(only.progress("here", "running", "{}")).isTrue();
                assertThat(only.finish("here", "finished", "[]", null, 5)).isTrue();
                assertThat(only.requeueOrphaned(10)).isZero();
                return;
            }
            long now = System.currentTimeMillis();
            new NodeStore(a).register("worker", "host-a", "CPU", "x86", 1, "test", now, now);
            new NodeStore(b).register("worker", "host-b", "CPU", "x86", 1, "test", now, now);
            made(new SearchStore(web, false), "waits", 1);
            assertThat(new SearchStore(web, false).claim()).as("a web node claims nothing").isEmpty();

            SearchStore storeA = new SearchStore(a);
            SearchStore storeB = new SearchStore(b);
            SearchStore.ClaimedSearch claimed = storeA.claim().orElseThrow();
            assertThat(claimed.pendingRequest()).isEqualTo("{\"source\":true}");
            assertThat(claimed.refitName()).isEqualTo("Refit");
            assertThat(storeB.claim()).as("one node claims it").isEmpty();
            assertThat(storeA.progress("waits", "running", "{\"progress\":1}")).isTrue();
            assertThat(storeB.progress("waits", "running", "{\"progress\":9}")).as("only its holder writes").isFalse();
            assertThat(storeB.find("waits").orElseThrow().progress()).isEqualTo("{\"progress\":1}");

            // a's heartbeat stops: its search waits again for a node to start it over
            new NodeStore(a).leave();
            assertThat(storeB.requeueOrphaned(now + 1)).isEqualTo(1);
            assertThat(storeB.interruptOrphaned(now + 1)).as("nothing left to interrupt").isZero();
            assertThat(storeB.find("waits").orElseThrow().status()).isEqualTo("queued");
            assertThat(storeB.claim().orElseThrow().id()).isEqualTo("waits");
            assertThat(storeA.progress("waits", "running", "{}")).as("the gone node's late writes do nothing").isFalse();
            assertThat(storeA.finish("waits", "finished", "[]", null, now)).isFalse();
            assertThat(storeB.finish("waits", "finished", "[]", null, now + 2)).isTrue();
            StoredSearch ended = storeA.find("waits").orElseThrow();
            assertThat(ended.status()).isEqualTo("finished");
            assertThat(ended.progress()).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aStopIsDoneAtOnceWhileItWaitsElseAskedOfItsHolder(DatabaseConfig config) {
        try (Database web = Database.open(config, LEASE);
             Database a = web.isShared() ? Database.open(config, LEASE) : null) {
            if (!web.isShared()) {
                return; // nothing waits on the embedded store (above)
            }
            long now = System.currentTimeMillis();
            new NodeStore(a).register("worker", "host-a", "CPU", "x86", 1, "test", now, now);
            SearchStore front = new SearchStore(web, false);
            SearchStore worker = new SearchStore(a);
            made(front, "waiting", 1);
            made(front, "held", 2);
            assertThat(worker.claim().orElseThrow().id()).isEqualTo("waiting");
            assertThat(worker.claim().orElseThrow().id()).isEqualTo("held");
            made(front, "never-run", 3);

            assertThat(front.stopIfWaiting("never-run", now)).isTrue();
            assertThat(front.find("never-run").orElseThrow().status()).isEqualTo("stopped");
            assertThat(worker.claim()).as("a stopped search is not claimed").isEmpty();

            assertThat(front.stopIfWaiting("held", now)).as("a node holds it").isFalse();
            front.requestStop("held");
            assertThat(worker.stopsAsked()).containsExactly("held");
            assertThat(worker.finish("held", "stopped", "[]", null, now)).isTrue();
            assertThat(worker.stopsAsked()).isEmpty();

            // a clean stop of the holder hands its search back to the queue
            assertThat(worker.handBackHeldHere(now)).isEqualTo(1);
            assertThat(front.find("waiting").orElseThrow().status()).isEqualTo("queued");
            assertThat(worker.claim().orElseThrow().id()).isEqualTo("waiting");
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSearchsTableCountsInItsSpaceUntilItEndsHoweverItEnds(DatabaseConfig config) {
        try (Database web = Database.open(config, LEASE);
             Database a = web.isShared() ? Database.open(config, LEASE) : null) {
            SessionStore spaces = new SessionStore(web);
            String space = "address:" + System.nanoTime();
            if (!web.isShared()) {
                SearchStore only = new SearchStore(web);
                only.insert("counted", "h", "{}", "running", 1, space, 700, null, null, null);
                assertThat(spaces.spaceUsed(space)).isEqualTo(700);
                assertThat(only.finish("counted", "finished", "[]", null, 5)).isTrue();
                assertThat(spaces.spaceUsed(space)).as("ended: out of the space").isZero();
                assertThat(only.finish("counted", "failed", "[]", null, 6)).as("it ends once").isFalse();
                only.insert("left", "h", "{}", "running", 1, space, 300, null, null, null);
                assertThat(only.interruptHeldHere(10)).as("going at a stop: interrupted").isEqualTo(1);
                assertThat(spaces.spaceUsed(space)).isZero();
                return;
            }
            long now = System.currentTimeMillis();
            new NodeStore(a).register("worker", "host-a", "CPU", "x86", 1, "test", now, now);
            SearchStore front = new SearchStore(web, false);
            SearchStore worker = new SearchStore(a);
            front.insert("stopped-waiting", "h", "{}", "queued", 1, space, 100, "{}", null, null);
            front.insert("finished", "h", "{}", "queued", 2, space, 20, "{}", null, null);
            front.insert("interrupted", "h", "{}", "queued", 3, space, 3, "{}", null, null);
            assertThat(spaces.spaceUsed(space)).isEqualTo(123);

            assertThat(front.stopIfWaiting("stopped-waiting", now)).isTrue();
            assertThat(spaces.spaceUsed(space)).isEqualTo(23);
            assertThat(worker.claim().orElseThrow().id()).isEqualTo("finished");
            assertThat(worker.claim().orElseThrow().space()).as("the claim carries the space, for the refit")
                    .isEqualTo(space);
            front.insert("no-one's", "h", "{}", "queued", 4, null, 5000, "{}", null, null);
            worker.requeueOrphaned(now);
            assertThat(spaces.spaceUsed(space)).as("going on: still counted; one of no space counts nowhere")
                    .isEqualTo(23);
            assertThat(worker.finish("finished", "finished", "[]", null, now)).isTrue();
            assertThat(worker.finish("finished", "failed", "[]", null, now)).as("it ends once").isFalse();
            assertThat(spaces.spaceUsed(space)).isEqualTo(3);
            assertThat(worker.interruptHeldHere(now)).isEqualTo(1);
            assertThat(spaces.spaceUsed(space)).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSearchOfASpaceTheNodesHoldNoneOfGoesBeforeOlderOnesOfASpaceTheyHoldSomeOf(DatabaseConfig config) {
        try (Database web = Database.open(config, LEASE);
             Database a = web.isShared() ? Database.open(config, LEASE) : null) {
            if (!web.isShared()) {
                return; // one process: every search runs where it is made, nothing waits to be claimed
            }
            long now = System.currentTimeMillis();
            new NodeStore(a).register("worker", "host-a", "CPU", "x86", 2, "test", now, now);
            SearchStore front = new SearchStore(web, false);
            SearchStore worker = new SearchStore(a);
            for (int n = 1; n <= 3; n++) {
                front.insert("class-a-" + n, "h", "{}", "queued", n, "class:A", 10, "{}", null, null);
            }
            front.insert("class-b-1", "h", "{}", "queued", 4, "class:B", 10, "{}", null, null);
            front.insert("no-class-1", "h", "{}", "queued", 5, null, 0, "{}", null, null);

            assertThat(worker.claim().orElseThrow().id()).as("none held: the oldest").isEqualTo("class-a-1");
            assertThat(worker.claim().orElseThrow().id()).as("class A holds one, B none").isEqualTo("class-b-1");
            assertThat(worker.claim().orElseThrow().id()).as("searches of no space are a space of their own")
                    .isEqualTo("no-class-1");
            assertThat(worker.claim().orElseThrow().id()).as("each holds one: the oldest").isEqualTo("class-a-2");
            assertThat(worker.finish("class-b-1", "finished", "[]", null, now)).isTrue();
            front.insert("class-b-2", "h", "{}", "queued", 6, "class:B", 10, "{}", null, null);
            assertThat(worker.claim().orElseThrow().id()).as("B's first is over: B holds none, A two")
                    .isEqualTo("class-b-2");
            assertThat(worker.claim().orElseThrow().id()).isEqualTo("class-a-3");
            assertThat(worker.claim()).isEmpty();
        }
    }
}
