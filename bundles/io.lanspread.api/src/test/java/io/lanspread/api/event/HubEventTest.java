package io.lanspread.api.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.download.DownloadStatus;

class HubEventTest {

    private static HubEvent reported(LanspreadEvent event) {
        return new HubEvent.Reported("b-1", 1, Instant.EPOCH, event);
    }

    @Test
    void typesAreTheEventNamesInLowerCaseWithDashes() {
        DownloadStatus status = new DownloadStatus("d", "g", "1", DownloadState.RUNNING, 0, 0, 0, 0, 0, 0, 0,
                List.of(), null);

        assertThat(reported(new LanspreadEvent.PeerLost("p", "n")).type()).isEqualTo("peer-lost");
        assertThat(reported(new LanspreadEvent.GameListUpdated("p", "n", List.of())).type())
                .isEqualTo("game-list-updated");
        assertThat(reported(new LanspreadEvent.DownloadProgress(status)).type()).isEqualTo("download-progress");
        assertThat(new HubEvent.LibraryChanged("b-2", 2, Instant.EPOCH, 5, List.of()).type())
                .isEqualTo("library-changed");
        assertThat(new HubEvent.Snapshot("b-0", 0, Instant.EPOCH, SnapshotReason.NO_ID, null, List.of(), List.of(),
                List.of(), List.of()).type()).isEqualTo("snapshot");
    }
}
