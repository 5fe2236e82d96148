package io.lanspread.download.internal.engine;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.DownloadState;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.peer.PeerInfo;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.source.Source;

/**
 * The download's sources: asks new holders for their manifests, adds and removes sources, ends their
 * requests, keeps peers on a bad sender's machine off a chunk, and sends the download WAITING when no source
 * can serve what is left. Runs only on the download's serial executor.
 */
final class SourceKeeper {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext download;
    private final Waiting waiting;
    private final Set<String> manifestsAsked = new HashSet<>();
    /** Sources set aside after failed requests, and the address they failed at: a new one brings them back. */
    private final Map<String, InetSocketAddress> setAside = new HashMap<>();

    SourceKeeper(DownloadContext download, Waiting waiting) {
        this.download = download;
        this.waiting = waiting;
    }

    /** Asks the directory's holders of the chosen version that are not sources yet for their manifests. */
    void askNewHolders() {
        if (download.scheduler == null || download.lifecycle.ending() || download.stopped) {
            return;
        }
        String gameId = download.gameId();
        String version = download.version;
        for (PeerInfo peer : download.services.directory().peersWithGame(gameId, version)) {
            String peerId = peer.peerId();
            if (download.sources.contains(peerId) || download.sources.isDropped(peerId) || !manifestsAsked.add(peerId)) {
                continue;
            }
            HolderQuery.ask(download.services.client(), peer, gameId, version)
                    .whenComplete((answer, failure) -> download.onSerial(() -> {
                        manifestsAsked.remove(peerId);
                        if (answer == null || download.lifecycle.ending() || download.stopped
                                || download.lifecycle.state() == DownloadState.INTERRUPTED) {
                            return;
                        }
                        if (!answer.ok()) {
                            download.lifecycle.note(answer.problem());
                        } else if (download.services.directory().peer(peerId).isPresent()
                                && !download.sources.contains(peerId)) {
                            add(answer.peer(), answer.manifest());
                            download.scheduler.fill();
                        }
                    }));
        }
    }

    /** Adds a source; the caller plans next (so that sources added together start together). */
    void add(PeerInfo peer, GameManifest manifest) {
        add(peer, manifest, null);
    }

    /** @param held the chunks of a partial copy (swarming), or null for a holder of the whole game */
    void add(PeerInfo peer, GameManifest manifest, java.util.BitSet held) {
        if (download.sources.isDropped(peer.peerId())) {
            return;
        }
        Source source = new Source(peer, manifest, download.files, download.settings.chunksPerSource(),
                download.services.nanoClock(), held);
        if (!source.servesAnything() && download.board.remaining() > 0) {
            LOG.info("download {}: {} holds none of the chosen content", download.id, HolderQuery.name(peer));
            return;
        }
        download.sources.add(source);
        setAside.remove(peer.peerId());
        LOG.info("download {}: {} {} added ({} sources)", download.id, held == null ? "source" : "partial source",
                HolderQuery.name(peer), download.sources.size());
        download.scheduler.sourcesChanged();
        download.lifecycle.unnote(Sentences.WAITING_FOR_HOLDERS);
        if (download.lifecycle.toRunning(Sentences.WAITING_FOR_PEERS)) {
            download.notifyProgress();
        }
    }

    /**
     * Sets the source aside after failed requests: it is asked again when it is seen again, or as soon as the
     * directory has it at another address (it moved).
     */
    void setAside(Source source, String note) {
        setAside.put(source.peerId(), source.address());
        remove(source.peerId(), note);
    }

    /**
     * Follows peers that moved to another address (their server was reconfigured; the directory has the new
     * one): a source is asked there at once, its requests at the old address given up and not counted against
     * it, and a source set aside because its old address failed is asked for its manifest again.
     */
    void followMoves() {
        if (download.scheduler == null || download.lifecycle.ending() || download.stopped) {
            return;
        }
        boolean moved = false;
        for (Source source : new ArrayList<>(download.sources.all())) {
            moved |= followMove(source);
        }
        boolean back = setAside.entrySet().removeIf(e -> download.services.directory().peer(e.getKey())
                .map(p -> !p.address().equals(e.getValue())).orElse(true));
        if (back) {
            askNewHolders();
        }
        if (moved) {
            download.scheduler.fill();
        }
    }

    /**
     * When the directory has the source at another address: moves it there and drops its requests in flight at
     * the old one (their answers, late or failed, are ignored); the caller plans next.
     *
     * @return whether it moved
     */
    boolean followMove(Source source) {
        Optional<PeerInfo> listed = download.services.directory().peer(source.peerId());
        if (listed.isEmpty() || listed.get().address().equals(source.address())) {
            return false;
        }
        LOG.info("download {}: source {} moved from {} to {}", download.id, HolderQuery.name(source.peer()),
                source.address(), listed.get().address());
        dropRequests(source);
        source.moved(listed.get());
        if (source.stalled()) {
            source.stalled(false);
        }
        download.scheduler.sourcesChanged();
        return true;
    }

    /** Removes the source, if it is one; {@code note} (or null) tells the user why. */
    void remove(String peerId, String note) {
        Optional<Source> removed = download.sources.remove(peerId);
        if (removed.isEmpty()) {
            return;
        }
        dropRequests(removed.get());
        if (note != null) {
            LOG.warn("download {}: {}", download.id, note);
            download.lifecycle.note(note);
        }
        download.scheduler.sourcesChanged();
        afterSourcesShrank();
    }

    /** The source sent wrong bytes too often: it is no longer used for this download. */
    void drop(Source source) {
        download.sources.drop(source.peerId());
        dropRequests(source);
    }

    void dropRequests(Source source) {
        for (Integer index : source.requests()) {
            download.board.requestEnded(index, !source.stalled());
        }
        source.clearRequests();
    }

    /** Every source's requests end (the download stops or ends). */
    void clearRequests() {
        for (Source source : download.sources.all()) {
            if (download.board != null) {
                dropRequests(source);
            } else {
                source.clearRequests();
            }
        }
    }

    /**
     * Peers on the bad sender's machine most likely serve the same bytes: while a peer on another machine
     * holds the chunk, they are not asked for it (several ids on one host would otherwise each waste a try).
     */
    void refuseOnSameHost(Source bad, int index) {
        boolean elsewhere = download.sources.all().stream().anyMatch(s -> !s.host().equals(bad.host()) && s.has(index));
        if (!elsewhere) {
            return;
        }
        for (Source other : download.sources.all()) {
            if (other != bad && other.host().equals(bad.host())) {
                other.refuse(index);
            }
        }
    }

    /** WAITING when no source can serve what is left; else plan again. */
    void afterSourcesShrank() {
        if (download.lifecycle.ending() || download.scheduler == null) {
            return;
        }
        if (!anySourceServesWhatIsLeft()) {
            waiting.enter(Sentences.WAITING_FOR_PEERS);
        } else {
            download.scheduler.fill();
        }
    }

    /**
     * Nothing in flight and no source holds what is left (their files changed, say): those sources are let go
     * (a fresh manifest from them may serve again) and the download waits for a holder.
     */
    void waitIfNobodyCanServe() {
        if (download.writesInFlight > 0 || download.board.remaining() == 0
                || download.sources.all().stream().anyMatch(s -> s.inFlight() > 0)) {
            return;
        }
        if (!anySourceHoldsWhatIsLeft()) {
            new ArrayList<>(download.sources.all()).forEach(s -> download.sources.remove(s.peerId()));
            download.scheduler.sourcesChanged();
            waiting.enter(Sentences.WAITING_FOR_PEERS);
        }
    }

    private boolean anySourceServesWhatIsLeft() {
        return !download.sources.isEmpty() && anySourceHoldsWhatIsLeft();
    }

    private boolean anySourceHoldsWhatIsLeft() {
        return download.board.anyRemaining(i -> download.sources.all().stream().anyMatch(s -> s.has(i)));
    }
}
