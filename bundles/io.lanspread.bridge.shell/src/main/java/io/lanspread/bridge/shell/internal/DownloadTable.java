package io.lanspread.bridge.shell.internal;

import java.util.List;

import io.lanspread.api.download.DownloadStatus;

/**
 * What {@code lanspread:downloads} answers: every download of this peer with its progress, speed and time
 * left; an error or notes under the download they belong to.
 */
public record DownloadTable(List<DownloadStatus> downloads) {

    public DownloadTable {
        downloads = List.copyOf(downloads);
    }

    @Override
    public String toString() {
        if (downloads.isEmpty()) {
            return "No downloads. Start one with lanspread:download <game id>.";
        }
        TextTable table = new TextTable("ID", "GAME", "VERSION", "STATE", "DONE", "SIZE", "SPEED", "ETA", "PEERS");
        for (DownloadStatus d : downloads) {
            boolean moving = !d.state().ended();
            table.row(d.id(), d.gameId(), d.version(), d.state().name(), Units.percent(d.downloadedBytes(), d.totalBytes()),
                    d.totalBytes() > 0 ? Units.bytes(d.totalBytes()) : null,
                    moving ? Units.speed(d.bytesPerSecond()) : null,
                    moving && d.totalBytes() > 0 ? Units.eta(d.totalBytes() - d.downloadedBytes(), d.bytesPerSecond()) : null,
                    moving ? d.activePeers() + "/" + d.sources() : null);
            if (d.error() != null) {
                table.note(Units.sentence(d.error()));
            }
            d.notes().forEach(n -> table.note(Units.sentence(n)));
        }
        return table.toString();
    }
}
