package io.lanspread.transport.quic.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

/** A connection's share of the send budget: it never holds more than its share, and the total bounds all. */
class ConnectionBudgetTest {

    private static final int MIB = 1024 * 1024;

    private final List<Runnable> tasks = new ArrayList<>();
    private final Executor executor = tasks::add; // runs what the budgets hand on when the test says

    @Test
    void aConnectionThatHoldsItsShareWaitsAndLeavesTheRestToOthers() {
        ReadBudget shared = new ReadBudget(4L * MIB, executor);
        ConnectionBudget greedy = new ConnectionBudget(MIB, shared, executor);
        ConnectionBudget honest = new ConnectionBudget(MIB, shared, executor);

        assertThat(greedy.acquireOrWait(MIB / 2, fail())).isTrue();
        assertThat(greedy.acquireOrWait(MIB / 2, fail())).isTrue();
        List<String> ran = new ArrayList<>();
        assertThat(greedy.acquireOrWait(MIB / 2, () -> ran.add("greedy"))).isFalse();
        assertThat(shared.available()).isEqualTo(3L * MIB); // the waiting read took nothing of the total
        assertThat(honest.acquireOrWait(MIB, fail())).isTrue();
        assertThat(shared.available()).isEqualTo(2L * MIB);

        greedy.release(MIB / 2);
        runTasks();
        assertThat(ran).containsExactly("greedy");
        assertThat(greedy.available()).isZero();
        assertThat(shared.available()).isEqualTo(2L * MIB);

        greedy.release(MIB / 2);
        greedy.release(MIB / 2);
        honest.release(MIB);
        assertThat(shared.available()).isEqualTo(4L * MIB);
        assertThat(greedy.available()).isEqualTo(MIB);
    }

    @Test
    void theTotalStillBoundsConnectionsTogether() {
        ReadBudget shared = new ReadBudget(2L * MIB, executor);
        ConnectionBudget a = new ConnectionBudget(MIB, shared, executor);
        ConnectionBudget b = new ConnectionBudget(MIB, shared, executor);
        ConnectionBudget c = new ConnectionBudget(MIB, shared, executor);
        assertThat(a.acquireOrWait(MIB, fail())).isTrue();
        assertThat(b.acquireOrWait(MIB, fail())).isTrue();
        List<String> ran = new ArrayList<>();
        assertThat(c.acquireOrWait(MIB, () -> ran.add("c"))).isFalse();
        assertThat(c.available()).isZero(); // its own share is taken while it waits for the total
        runTasks();
        assertThat(ran).isEmpty();

        a.release(MIB);
        runTasks();
        assertThat(ran).containsExactly("c");
        assertThat(shared.available()).isZero();
    }

    private void runTasks() {
        while (!tasks.isEmpty()) {
            tasks.remove(0).run();
        }
    }

    private static Runnable fail() {
        return () -> {
            throw new AssertionError("should have been granted at once");
        };
    }
}
