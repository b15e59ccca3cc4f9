package sinapsis.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.support.Eventually;
import sinapsis.support.TestDatabases;
import sinapsis.training.EpochEvent;
import sinapsis.training.RunStatus;
import sinapsis.training.TrainingRun.Ending;

/** A node hears another node's writes on its schema's channel, with their kind; not its own, nor another schema's. */
class NodeNotificationsTest {
    private static StoredSession session(String id) {
        return new StoredSession(id, "owner", null, new Ending(RunStatus.QUEUED, null, 0, 0), null, "h",
                List.of("x"), List.of("y"), NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                TrainingSpec.defaults(), null, 1, 0, null, null, 0);
    }

    @Test
    void anotherNodesHistoryBatchARunWaitingARunsEndAndAnActionAskedAreHeard() throws Exception {
        DatabaseConfig config = TestDatabases.sharedPostgresql().orElse(null);
        Assumptions.assumeTrue(config != null, "no test PostgreSQL configured (src/scripts/test starts one)");
        DatabaseConfig otherSchema = TestDatabases.sharedPostgresql().orElseThrow();
        java.util.List<java.util.List<NodeNotifications.Kind>> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger heardElsewhere = new AtomicInteger();
        try (Database listening = Database.open(config); Database writing = Database.open(config);
             Database elsewhere = Database.open(otherSchema);
             NodeNotifications here = new SessionStore(listening).listen(heard::add);
             NodeNotifications there = new SessionStore(elsewhere).listen(kinds -> heardElsewhere.incrementAndGet())) {
            Thread.sleep(500); // both listening
            SessionStore web = new SessionStore(writing, false);
            web.insert(session("waits"), "x,y\n1,2\n");
            Eventually.waitFor("the run waiting to be heard", Duration.ofSeconds(5), () -> heard.size() >= 1);
            assertThat(heard.get(0)).containsExactly(NodeNotifications.Kind.WORK);
            new SessionStore(writing).record("waits", List.of(new EpochEvent(1, 1, 0.5, null, java.util.Map.of())),
                    null, null);
            Eventually.waitFor("the batch of epochs to be heard", Duration.ofSeconds(5), () -> heard.size() >= 2);
            assertThat(heard.get(1)).containsExactly(NodeNotifications.Kind.HISTORY);
            new SessionStore(listening).record("waits", List.of(new EpochEvent(2, 2, 0.4, null, java.util.Map.of())),
                    null, null);
            Thread.sleep(300);
            assertThat(heard).as("a node does not hear its own writes").hasSize(2);
            new SessionStore(writing).record("waits", List.of(), new Ending(RunStatus.FINISHED, null, 1, 2), null);
            Eventually.waitFor("the run's end to be heard", Duration.ofSeconds(5), () -> heard.size() >= 3);
            assertThat(heard.get(2)).containsExactly(NodeNotifications.Kind.ENDED);
            web.requestControl("waits", "stop");
            Eventually.waitFor("the action asked to be heard", Duration.ofSeconds(5), () -> heard.size() >= 4);
            assertThat(heard.get(3)).as("for the node that holds the run, not every node that trains")
                    .containsExactly(NodeNotifications.Kind.CONTROL);
            assertThat(heardElsewhere.get()).as("another schema's nodes hear nothing of it").isZero();
        }
    }
}
