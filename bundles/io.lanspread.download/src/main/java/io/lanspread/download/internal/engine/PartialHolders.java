package io.lanspread.download.internal.engine;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.api.transport.HaveMap;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.source.Source;

/**
 * Swarming: asks the known peers that are not complete sources which chunks of the chosen content they hold
 * (have-maps, every {@code haveRefreshMillis}, incrementally by revision), adds a peer holding chunks this
 * download still needs as a partial source, keeps each partial source's chunks up to date, and lets go of one
 * that stopped sharing. A peer's copy counts only for the exact content of the chosen manifest (its content
 * hash), so its chunk numbers are this download's. Runs only on the download's serial executor.
 */
final class PartialHolders {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext download;
    private final SourceKeeper sources;
    /** Peer id -> revision of the have-map its partial source was last given. */
    private final Map<String, Long> revisions = new HashMap<>();
    private final Set<String> asking = new HashSet<>();
    /** Peers that speak an older protocol: they have no have-maps. */
    private final Set<String> withoutHaveMaps = new HashSet<>();
    private byte[] contentHash;
    private Object hashedLayout;
    private long lastAskedNanos;
    private boolean askedOnce;

    PartialHolders(DownloadContext download, SourceKeeper sources) {
        this.download = download;
        this.sources = sources;
    }

    /** On the tick: asks again once the refresh interval passed. */
    void onTick() {
        long now = download.services.nanoClock().getAsLong();
        if (askedOnce && now - lastAskedNanos < download.settings.haveRefreshMillis() * 1_000_000L) {
            return;
        }
        askNow();
    }

    /** Asks every candidate peer at once (fetching just started, or the tick says it is time). */
    void askNow() {
        if (!download.settings.swarm() || download.scheduler == null || download.stopped || download.lifecycle.ending()) {
            return;
        }
        DownloadState state = download.lifecycle.state();
        if (state != DownloadState.RUNNING && state != DownloadState.WAITING) {
            return;
        }
        askedOnce = true;
        lastAskedNanos = download.services.nanoClock().getAsLong();
        if (hashedLayout != download.layout) { // a version switch lays out other content
            contentHash = download.layout.manifest().contentHash();
            hashedLayout = download.layout;
            revisions.clear();
        }
        for (PeerInfo peer : download.services.directory().peers()) {
            String peerId = peer.peerId();
            Optional<Source> source = download.sources.get(peerId);
            if (source.filter(s -> !s.partial()).isPresent() || download.sources.isDropped(peerId)
                    || withoutHaveMaps.contains(peerId) || !asking.add(peerId)) {
                continue;
            }
            long known = source.isPresent() ? revisions.getOrDefault(peerId, 0L) : 0L;
            CompletableFuture<HaveMap> answer;
            try {
                answer = download.services.client()
                        .have(peer.address(), download.gameId(), download.version, contentHash, known)
                        .toCompletableFuture();
            } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
            }
            answer.whenComplete((map, failure) -> download.onSerial(() -> answered(peer, map, failure)));
        }
    }

    private void answered(PeerInfo peer, HaveMap map, Throwable failure) {
        String peerId = peer.peerId();
        asking.remove(peerId);
        if (download.stopped || download.lifecycle.ending() || download.scheduler == null
                || download.lifecycle.state() == DownloadState.INTERRUPTED
                || download.services.directory().peer(peerId).isEmpty() || download.sources.isDropped(peerId)) {
            return;
        }
        Optional<Source> source = download.sources.get(peerId);
        if (failure != null || map == null) {
            Throwable cause = Sentences.unwrap(failure);
            PeerRequestException.Reason reason = cause instanceof PeerRequestException p ? p.reason() : null;
            if (reason == PeerRequestException.Reason.PROTOCOL) {
                withoutHaveMaps.add(peerId);
            } else if (reason == PeerRequestException.Reason.GAME_NOT_FOUND && source.filter(Source::partial).isPresent()) {
                revisions.remove(peerId);
                LOG.info("download {}: {} no longer shares a partial copy", download.id, HolderQuery.name(peer));
                sources.remove(peerId, null);
            }
            return;
        }
        if (map.chunks() != download.layout.chunkCount()) {
            return; // not this layout: a peer that does not keep to the protocol
        }
        if (map.complete()) {
            revisions.remove(peerId);
            if (source.isPresent()) {
                source.get().holdsAll();
                download.scheduler.fill();
            } else {
                sources.add(peer, download.layout.manifest());
                download.scheduler.fill();
            }
            return;
        }
        download.planning.spreadOut(); // another peer fetches this content too
        if (map.unchanged()) {
            return;
        }
        BitSet held = map.held();
        revisions.put(peerId, map.revision());
        if (source.isPresent()) {
            source.get().held(held);
            download.scheduler.fill();
        } else if (download.board.anyRemaining(held::get)) {
            sources.add(peer, download.layout.manifest(), held);
            download.scheduler.fill();
        }
    }
}
