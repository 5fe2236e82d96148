package io.lanspread.download.internal.source;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import io.lanspread.api.download.SourceView;
import io.lanspread.api.game.GameManifest;
import io.lanspread.api.peer.PeerInfo;

/**
 * One peer serving one download: the files it may serve (where its manifest agrees with the chosen one,
 * minus files it reported changed), the chunks it sent wrong bytes for, its requests in flight and its live
 * figures. Confined to the download's serial executor.
 */
public final class Source implements SourceView {
    /** Replaced when the peer moved to another address ({@link #moved}). */
    private PeerInfo peer;
    private final GameManifest manifest;
    private final FileIndex files;
    private final BitSet servedFiles;
    private final BitSet withChunks;
    private final BitSet refusedChunks = new BitSet();
    /** A partial copy's chunks as its last have-map said; null for a holder of the whole game. */
    private BitSet held;
    private int capacity;
    private final LongSupplier nanoClock;
    private final Throughput throughput;
    /** The chunks in flight, in request order: when each was asked for (nanos), and which request asked. */
    private final Map<Integer, Request> requests = new LinkedHashMap<>();
    private long lastToken;
    private long delivered;
    private long lastDeliveryNanos = -1;
    /** When the latest-sent request that was answered (with bytes or an error) had been sent; -1 before any. */
    private long answeredSentNanos = -1;
    private int failures;
    private int failuresInARow;
    private int badChunks;
    private boolean stalled;

    public Source(PeerInfo peer, GameManifest manifest, FileIndex files, int capacity, LongSupplier nanoClock) {
        this(peer, manifest, files, capacity, nanoClock, null);
    }

    /** @param held the chunks a partial copy holds (swarming), or null for a holder of the whole game */
    public Source(PeerInfo peer, GameManifest manifest, FileIndex files, int capacity, LongSupplier nanoClock,
            BitSet held) {
        this.held = held == null ? null : (BitSet) held.clone();
        this.peer = peer;
        this.manifest = manifest;
        this.files = files;
        this.servedFiles = files.agreedFiles(manifest);
        this.withChunks = files.filesWithChunks();
        this.capacity = capacity;
        this.nanoClock = nanoClock;
        this.throughput = new Throughput(nanoClock);
    }

    public PeerInfo peer() {
        return peer;
    }

    public String name() {
        return peer.name() == null || peer.name().isEmpty() ? peer.peerId() : peer.name();
    }

    public InetAddress host() {
        return peer.address().getAddress();
    }

    public GameManifest manifest() {
        return manifest;
    }

    /** Whether it may serve at least one file that has chunks. */
    public boolean servesAnything() {
        return servedFiles.intersects(withChunks);
    }

    @Override
    public String peerId() {
        return peer.peerId();
    }

    @Override
    public InetSocketAddress address() {
        return peer.address();
    }

    @Override
    public boolean has(int index) {
        return servedFiles.get(files.fileOf(index)) && !refusedChunks.get(index) && (held == null || held.get(index));
    }

    /** Whether it is a partial copy: a peer still downloading the game, serving the chunks it verified. */
    public boolean partial() {
        return held != null;
    }

    /** A partial copy's new have-map. */
    public void held(BitSet chunks) {
        held = (BitSet) chunks.clone();
    }

    /** A partial copy became complete (its download finished). */
    public void holdsAll() {
        held = null;
    }

    @Override
    public boolean complete() {
        BitSet missing = (BitSet) withChunks.clone();
        missing.andNot(servedFiles);
        return held == null && missing.isEmpty() && refusedChunks.isEmpty();
    }

    @Override
    public int inFlight() {
        return requests.size();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** A new limit of chunks in flight (the settings changed); requests above it are let finish. */
    public void capacity(int capacity) {
        this.capacity = capacity;
    }

    public int room() {
        return stalled ? 0 : Math.max(0, capacity - requests.size());
    }

    @Override
    public long bytesPerSecond() {
        return throughput.bytesPerSecond();
    }

    @Override
    public long deliveredBytes() {
        return delivered;
    }

    @Override
    public int failures() {
        return failures;
    }

    @Override
    public int badChunks() {
        return badChunks;
    }

    @Override
    public long idleMillis() {
        long since = lastDeliveryNanos;
        if (!requests.isEmpty()) {
            since = Math.max(since, requests.values().iterator().next().sentNanos());
        }
        return since < 0 ? 0 : (nanoClock.getAsLong() - since) / 1_000_000L;
    }

    /** Nanos of its last verified delivery, or -1. */
    public long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    public boolean stalled() {
        return stalled;
    }

    public void stalled(boolean stalled) {
        this.stalled = stalled;
    }

    // --- requests

    public boolean isRequested(int index) {
        return requests.containsKey(index);
    }

    /**
     * A request for the chunk is sent.
     *
     * @return its token: its answer ends it with {@link #endRequest(int, long)}, so the late answer of a request
     *         given up (at an address the peer left, say) never ends a newer request for the same chunk
     */
    public long requested(int index) {
        long token = ++lastToken;
        requests.put(index, new Request(nanoClock.getAsLong(), token));
        return token;
    }

    /** Ends whatever request for the chunk is in flight; false when none is. */
    public boolean endRequest(int index) {
        return requests.remove(index) != null;
    }

    /** Ends this request for the chunk; false when it is not (or no longer) in flight, so its answer is dropped. */
    public boolean endRequest(int index, long token) {
        Request current = requests.get(index);
        if (current == null || current.token() != token) {
            return false;
        }
        requests.remove(index);
        answeredSentNanos = Math.max(answeredSentNanos, current.sentNanos());
        return true;
    }

    /**
     * The chunks in flight whose answers are overdue: asked for at least {@code ageNanos} ago, while a request
     * sent after them has been answered, so the source is working and has passed them by (a stream of the
     * peer's that went silent). In request order.
     */
    public List<Integer> overdue(long ageNanos) {
        long now = nanoClock.getAsLong();
        List<Integer> overdue = new ArrayList<>();
        for (Map.Entry<Integer, Request> entry : requests.entrySet()) {
            long sent = entry.getValue().sentNanos();
            if (now - sent < ageNanos) {
                break; // in request order: the rest are younger
            }
            if (answeredSentNanos > sent) {
                overdue.add(entry.getKey());
            }
        }
        return overdue;
    }

    /** The chunks in flight, in request order (a copy). */
    public Set<Integer> requests() {
        return Set.copyOf(requests.keySet());
    }

    public void clearRequests() {
        requests.clear();
    }

    // --- outcomes

    public void delivered(int bytes) {
        delivered += bytes;
        throughput.add(bytes);
        lastDeliveryNanos = nanoClock.getAsLong();
        failuresInARow = 0;
    }

    public void failed() {
        failures++;
        failuresInARow++;
    }

    /**
     * The peer listens at another address now (its server was reconfigured): it is asked there from now on, and
     * the requests that failed at the old address count nothing against it.
     */
    public void moved(PeerInfo to) {
        peer = to;
        failuresInARow = 0;
    }

    public int failuresInARow() {
        return failuresInARow;
    }

    /** Its bytes for chunk {@code index} did not match the manifest: it is not asked for that chunk again. */
    public void badChunk(int index) {
        badChunks++;
        failures++;
        refusedChunks.set(index);
    }

    /**
     * Another peer on the same machine sent bad bytes for chunk {@code index}: it most likely reads the same
     * files, so it is not asked for that chunk either (counts nothing against it).
     */
    public void refuse(int index) {
        refusedChunks.set(index);
    }

    /** Its copy of a file changed since its manifest: it is not asked for that file again. */
    public void fileChanged(int file) {
        servedFiles.clear(file);
    }

    private record Request(long sentNanos, long token) {
    }
}
