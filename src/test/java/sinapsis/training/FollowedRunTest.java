package sinapsis.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sinapsis.data.Problem;
import sinapsis.model.Activation;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.model.TrainingSpec;

/**
 * A run another node trains, as a node that shows it holds it: asking about it is not reading it,
 * and its result and model are read from the store once, when someone first asks.
 */
class FollowedRunTest {
    private static final Problem LINE = new Problem(List.of("x"), List.of("y"),
            new double[][] {{1}, {2}, {3}, {4}}, new double[][] {{2}, {4}, {6}, {8}}, List.of());
    private static final long LONG_AGO = 1;

    private static TrainingRun followed() throws InterruptedException {
        Experiment experiment = new Experiment(LINE, NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                TrainingSpec.defaults().withEpochs(10));
        TrainingRun run = TrainingRun.followed(experiment, new TrainingRun.Ending(RunStatus.RUNNING, null, 1, 0),
                List.of(new EpochEvent(1, 1, 0.5, null, Map.of())), seq -> {
                    throw new AssertionError("no epoch beyond those followed is asked of the store");
                });
        Thread.sleep(5); // made more than LONG_AGO ago: neither read nor asked about since
        return run;
    }

    @Test
    void askingAboutAFollowedRunIsNotReadingItsHistory() throws InterruptedException {
        TrainingRun run = followed();
        assertThat(run.askedWithin(LONG_AGO * 1_000_000)).isFalse();

        run.noteAsked();
        assertThat(run.askedWithin(1_000_000_000L)).isTrue();
        assertThat(run.readWithin(LONG_AGO * 1_000_000)).as("a status asked is not its history read").isFalse();
        assertThat(run.followedModelEpoch()).isZero();
        assertThat(run.readWithin(LONG_AGO * 1_000_000)).as("nor is the follower's look at its model").isFalse();

        run.history();
        assertThat(run.readWithin(1_000_000_000L)).isTrue();
        assertThat(run.askedWithin(1_000_000_000L)).as("a read is an ask too").isTrue();
    }

    @Test
    void aNewRunCountsAsJustAskedUntilAWorkerThatClaimedItForgetsItAndAnAskCountsAgain() {
        TrainingRun run = new TrainingRun(new Experiment(LINE, NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                TrainingSpec.defaults().withEpochs(10)));
        assertThat(run.askedWithin(1_000_000_000L)).as("by whoever made it").isTrue();

        run.forgetAsked();
        assertThat(run.askedWithin(1_000_000_000L)).isFalse();
        assertThat(run.readWithin(1_000_000_000L)).isFalse();

        run.noteAsked();
        assertThat(run.askedWithin(1_000_000_000L)).isTrue();
    }

    @Test
    void anEndedFollowedRunReadsItsOutcomeOnceWhenFirstAskedAndAgainAfterAFailedRead() throws InterruptedException {
        TrainingRun run = followed();
        AtomicInteger reads = new AtomicInteger();
        TrainingResult stored = new TrainingResult(List.of(), List.of(), 2, Map.of("loss", 0.25), null, null, null,
                2, 10, null);
        run.follow(List.of(new EpochEvent(2, 2, 0.25, null, Map.of())), 2,
                new TrainingRun.Ending(RunStatus.FINISHED, null, 1, 2), () -> {
                    if (reads.incrementAndGet() == 1) {
                        throw new IllegalStateException("the database is away");
                    }
                    return new TrainingRun.Outcome(stored, null);
                });

        assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(run.lastSeq()).isEqualTo(2);
        assertThat(reads).as("nothing read before anyone asks").hasValue(0);
        assertThat(run.outcomePending()).isTrue();

        assertThat(run.result()).as("the first read failed: no result yet").isNull();
        assertThat(run.outcomePending()).as("left to be read again").isTrue();
        assertThat(run.result()).isSameAs(stored);
        assertThat(run.model()).isNull();
        assertThat(run.result()).isSameAs(stored);
        assertThat(reads).as("read once it succeeded, not at every ask").hasValue(2);
        assertThat(run.outcomePending()).isFalse();
    }
    @Test
    void epochsNobodyReadAreFetchedFromTheStoreOnceWhenFirstReadAndAgainAfterAFailedFetch() {
        Experiment experiment = new Experiment(LINE, NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR)),
                TrainingSpec.defaults().withEpochs(10));
        List<EpochEvent> store = new java.util.ArrayList<>();
        for (int seq = 1; seq <= 5; seq++) {
            store.add(new EpochEvent(seq, seq, 1.0 / seq, null, Map.of()));
        }
        List<Long> asked = new java.util.ArrayList<>();
        TrainingRun run = TrainingRun.followed(experiment, new TrainingRun.Ending(RunStatus.RUNNING, null, 1, 0),
                store.subList(0, 1), seq -> {
                    asked.add(seq);
                    if (asked.size() == 1) {
                        throw new IllegalStateException("the database is away");
                    }
                    return store.subList((int) seq, store.size());
                });
        assertThat(run.readWithin(1_000_000_000L)).as("a run followed here is not read until someone reads it").isFalse();

        run.follow(List.of(), 5, new TrainingRun.Ending(RunStatus.FINISHED, null, 1, 2), null); // ended, unread
        assertThat(asked).as("nothing fetched while nobody reads").isEmpty();
        assertThat(run.lastSeq()).as("its last epoch is the store's").isEqualTo(5);
        assertThat(run.fetchedSeq()).isEqualTo(1);

        assertThat(run.history()).as("the store away: what is here").hasSize(1);
        assertThat(run.eventsSince(2)).as("fetched after the one here").isEqualTo(store.subList(2, 5));
        assertThat(run.history()).isEqualTo(store);
        assertThat(run.thinned(2)).last().isEqualTo(store.get(4));
        assertThat(asked).as("one failed fetch, then one that brought the rest; none after").containsExactly(1L, 1L);
    }
}
