package io.lanspread.catalog.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class QuietPeriodTest {

    private static final long MS = 1_000_000;

    private final QuietPeriod quiet = new QuietPeriod(Duration.ofMillis(400), Duration.ofSeconds(5));

    @Test
    void aKeyIsDueOnlyAfterTheQuietPeriodSinceItsLastTouch() {
        assertThat(quiet.touch("g", 0)).as("first touch asks for a flush").isTrue();
        assertThat(quiet.touch("g", 300 * MS)).as("flush already scheduled").isFalse();

        QuietPeriod.Due early = quiet.takeDue(400 * MS);
        assertThat(early.keys()).isEmpty();
        assertThat(early.nextNanos()).isEqualTo(300 * MS);

        QuietPeriod.Due due = quiet.takeDue(700 * MS);
        assertThat(due.keys()).containsExactly("g");
        assertThat(due.nextNanos()).as("nothing pending").isEqualTo(-1);
        assertThat(quiet.touch("g", 800 * MS)).as("a new flush is needed").isTrue();
    }

    @Test
    void keysSettleIndependently() {
        quiet.touch("a", 0);
        quiet.touch("b", 200 * MS);

        QuietPeriod.Due first = quiet.takeDue(400 * MS);
        assertThat(first.keys()).containsExactly("a");
        assertThat(first.nextNanos()).isEqualTo(200 * MS);
        assertThat(quiet.takeDue(600 * MS).keys()).containsExactly("b");
    }

    @Test
    void aKeyThatNeverSettlesIsDueAfterTheMaximumDeferral() {
        quiet.touch("busy", 0);
        for (long t = 100; t < 5000; t += 100) {
            quiet.touch("busy", t * MS);
            assertThat(quiet.takeDue(t * MS).keys()).isEmpty();
        }
        assertThat(quiet.takeDue(5000 * MS).keys()).containsExactly("busy");
    }

    @Test
    void newTimesApply() {
        quiet.setTimes(Duration.ofMillis(50), Duration.ofSeconds(5));
        quiet.touch("g", 0);
        assertThat(quiet.quietNanos()).isEqualTo(50 * MS);
        assertThat(quiet.takeDue(50 * MS).keys()).containsExactly("g");
    }
}
