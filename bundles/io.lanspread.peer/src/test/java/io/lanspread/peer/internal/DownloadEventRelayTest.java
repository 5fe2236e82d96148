package io.lanspread.peer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;
import io.lanspread.api.event.LanspreadEvent;

class DownloadEventRelayTest {

    private final DownloadEventRelay relay = new DownloadEventRelay();
    private final DownloadStatus status = Fixtures.Downloads.status("d1", "g1", DownloadState.RUNNING);

    @Test
    void heldEventsGoToTheFirstTargetOnceThenEverythingGoesStraightThrough() {
        List<LanspreadEvent> first = new CopyOnWriteArrayList<>();
        relay.begin(status);

        relay.attach(first::add);
        relay.finished(status);

        assertThat(first).containsExactly(new LanspreadEvent.DownloadBegin(status),
                new LanspreadEvent.DownloadFinished(status));
    }

    @Test
    void aStaleDetachLeavesTheNewTargetAttached() {
        List<LanspreadEvent> received = new CopyOnWriteArrayList<>();
        Consumer<LanspreadEvent> old = e -> {
        };
        Consumer<LanspreadEvent> current = received::add;
        relay.attach(old);
        relay.attach(current);

        relay.detach(old);
        relay.cancelled(status);

        assertThat(received).containsExactly(new LanspreadEvent.DownloadCancelled(status));
    }

    @Test
    void afterDetachEventsAreHeldForTheNextTarget() {
        Consumer<LanspreadEvent> gone = e -> {
            throw new AssertionError("detached, yet given " + e);
        };
        relay.attach(gone);
        relay.detach(gone);
        relay.failed(status);
        List<LanspreadEvent> next = new CopyOnWriteArrayList<>();

        relay.attach(next::add);

        assertThat(next).containsExactly(new LanspreadEvent.DownloadFailed(status));
    }
}
