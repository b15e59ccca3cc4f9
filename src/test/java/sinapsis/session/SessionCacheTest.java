package sinapsis.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import sinapsis.data.Problem;
import sinapsis.model.Activation;
import sinapsis.model.DataSpec;
import sinapsis.model.LayerSpec;
import sinapsis.model.NetworkSpec;
import sinapsis.model.SessionSpec;
import sinapsis.model.TrainingSpec;
import sinapsis.training.Experiment;
import sinapsis.training.TrainingRun;

/** The cache of sessions not training: least recently used out first, bounded by count and by data size. */
class SessionCacheTest {
    private static Session session(String id, int rows) {
        double[][] x = new double[rows][1];
        double[][] y = new double[rows][1];
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int r = 0; r < rows; r++) {
            csv.append(r).append(',').append(r).append('\n');
        }
        NetworkSpec network = NetworkSpec.of(LayerSpec.dense(1, Activation.LINEAR));
        SessionSpec spec = new SessionSpec(DataSpec.ofCsv(csv.toString(), List.of("x"), List.of("y")), network,
                TrainingSpec.defaults());
        Experiment experiment = new Experiment(new Problem(List.of("x"), List.of("y"), x, y, List.of()), network,
                TrainingSpec.defaults());
        return new Session(id, "hash", null, null, 0,
                new Session.State(spec, null, "data", TrainingRun.draft(experiment)));
    }

    @Test
    void theLeastRecentlyUsedGoesFirstWhenThereAreTooMany() {
        SessionCache cache = new SessionCache(2, Long.MAX_VALUE);
        cache.putIfAbsent(session("a", 3));
        cache.putIfAbsent(session("b", 3));
        assertThat(cache.get("a")).isNotNull();
        cache.putIfAbsent(session("c", 3));
        assertThat(cache.get("b")).as("least recently used").isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void bigDataPushesOutOthersButTheNewestAlwaysStays() {
        long small = SessionCache.weight(session("s", 10));
        long big = SessionCache.weight(session("b", 100_000));
        assertThat(big).isGreaterThan(100 * small);
        SessionCache cache = new SessionCache(1000, big + 3 * small);
        for (String id : List.of("s1", "s2", "s3")) {
            cache.putIfAbsent(session(id, 10));
        }
        cache.putIfAbsent(session("big", 100_000));
        assertThat(cache.get("big")).isNotNull();
        assertThat(cache.bytes()).isLessThanOrEqualTo(big + 3 * small);
        Session huge = session("huge", 300_000);
        assertThat(cache.putIfAbsent(huge)).isSameAs(huge);
        assertThat(cache.size()).as("over the budget alone, but kept: it is being opened").isEqualTo(1);
        assertThat(cache.get("huge")).isSameAs(huge);
        cache.remove("huge");
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void aSecondCopyOfTheSameSessionIsNotAdded() {
        SessionCache cache = new SessionCache(10, Long.MAX_VALUE);
        Session first = session("a", 3);
        assertThat(cache.putIfAbsent(first)).isSameAs(first);
        assertThat(cache.putIfAbsent(session("a", 3))).isSameAs(first);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void anyMatchLooksAtTheSessionsHeldAndLeavesTheirOrderAsItWas() {
        SessionCache cache = new SessionCache(2, Long.MAX_VALUE);
        assertThat(cache.anyMatch(s -> true)).as("empty").isFalse();
        cache.putIfAbsent(session("a", 3));
        cache.putIfAbsent(session("b", 3));
        assertThat(cache.anyMatch(s -> s.id().equals("b"))).isTrue();
        assertThat(cache.anyMatch(s -> s.id().equals("c"))).isFalse();
        assertThat(cache.anyMatch(s -> s.id().equals("a"))).isTrue();
        cache.putIfAbsent(session("c", 3));
        assertThat(cache.get("b")).as("looking is not using: a, the least recently used, went first").isNotNull();
        assertThat(cache.get("a")).isNull();
        assertThat(cache.anyMatch(s -> s.id().equals("a"))).isFalse();
    }
}
