package sinapsis.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Wrong join codes slow a client down, then shut it out for a while; others are not affected. */
class JoinThrottleTest {
    @Test
    void eachWrongCodeDoublesTheWaitThenTheClientIsRefusedUntilTheWindowMovesOn() {
        JoinThrottle throttle = new JoinThrottle(4, 60_000, 2000);
        long now = 1_000_000;
        assertThat(throttle.before("a", now)).isZero();
        throttle.failed("a", now);
        assertThat(throttle.before("a", now)).isEqualTo(100);
        throttle.failed("a", now + 1);
        assertThat(throttle.before("a", now + 2)).isEqualTo(200);
        throttle.failed("a", now + 2);
        assertThat(throttle.before("a", now + 3)).isEqualTo(400);
        throttle.failed("a", now + 3);
        assertThatThrownBy(() -> throttle.before("a", now + 4))
                .isInstanceOfSatisfying(JoinThrottle.RefusedException.class,
                        e -> assertThat(e.retryAfterSeconds()).isEqualTo(60));
        assertThat(throttle.before("b", now + 4)).as("another client").isZero();
        // a minute after the first failure it has left the window: three remain
        assertThat(throttle.before("a", now + 60_000)).isEqualTo(400);
        assertThat(throttle.before("a", now + 60_001)).as("and then two").isEqualTo(200);
    }

    @Test
    void wrongCodesOnlyAgeOut() {
        JoinThrottle throttle = new JoinThrottle(4, 60_000, 2000);
        throttle.failed("a", 0);
        assertThat(throttle.before("a", 1)).as("still counted").isEqualTo(100);
        assertThat(throttle.before("a", 60_001)).as("aged out").isZero();
        assertThat(throttle.before("b", 1)).as("another client").isZero();
    }

    @Test
    void joinCodesUseAnAlphabetWithoutLookAlikes() {
        for (int i = 0; i < 200; i++) {
            String code = JoinCodes.next();
            assertThat(code).hasSize(6).doesNotContain("0", "O", "1", "I", "L");
            assertThat(JoinCodes.normalise(" " + code.toLowerCase() + " ")).isEqualTo(code);
        }
        assertThat(JoinCodes.normalise("ABC0EF")).isNull();
        assertThat(JoinCodes.normalise("ABCDE")).isNull();
    }
}
