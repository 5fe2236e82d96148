package io.lanspread.download.internal.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.DownloadState;
import io.lanspread.api.transport.ChunkRange;
import io.lanspread.api.transport.PeerRequestException;
import io.lanspread.api.transport.PeerRequestException.Reason;
import io.lanspread.api.transport.ReceivedChunk;
import io.lanspread.download.internal.lifecycle.Sentences;
import io.lanspread.download.internal.source.Source;
import io.lanspread.download.internal.store.ChunkLayout;
import io.lanspread.download.internal.store.DownloadStore;

/**
 * The chunks' way: requested from a source in one call, each answer checked by the verifier on a worker,
 * the first verified copy written to the store on a worker; wrong bytes and failed requests count against
 * the chunk and the source. Each received chunk is released once it is written, or at once when it is not
 * wanted (wrong bytes, a late copy, the download stopped or ended); the verifier and the store read it in
 * place. Runs only on the download's serial executor (answers, verdicts and writes hand back to it).
 */
final class ChunkPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);

    private final DownloadContext download;
    private final SourceKeeper sources;
    private final StallWatch stalls;
    private final Ending ending;

    ChunkPipeline(DownloadContext download, SourceKeeper sources, StallWatch stalls, Ending ending) {
        this.download = download;
        this.sources = sources;
        this.stalls = stalls;
        this.ending = ending;
    }

    /** The scheduler's way to request chunks from a source: one call for all of them. */
    void send(Source source, List<Integer> indices) {
        ChunkLayout layout = download.layout;
        List<ChunkRange> ranges = new ArrayList<>(indices.size());
        long[] tokens = new long[indices.size()];
        for (int k = 0; k < indices.size(); k++) {
            int index = indices.get(k);
            Chunk chunk = layout.chunk(index);
            tokens[k] = source.requested(index);
            download.board.requested(index, true);
            ranges.add(new ChunkRange(chunk.path(), chunk.offset(), chunk.length()));
        }
        List<CompletionStage<ReceivedChunk>> answers;
        try {
            answers = download.services.client().getChunks(source.address(), download.gameId(), download.version, ranges);
        } catch (RuntimeException e) {
            for (int k = 0; k < indices.size(); k++) {
                int index = indices.get(k);
                long token = tokens[k];
                download.onSerial(() -> requestFailed(source, index, token, e));
            }
            return;
        }
        if (answers == null) {
            answers = List.of();
        }
        for (int k = 0; k < indices.size(); k++) {
            int index = indices.get(k);
            CompletionStage<ReceivedChunk> answer = k < answers.size() && answers.get(k) != null ? answers.get(k)
                    : CompletableFuture.failedFuture(new PeerRequestException(Reason.PROTOCOL, "no answer for a range"));
            long token = tokens[k];
            answer.whenComplete((chunk, failure) -> received(source, layout, index, token, chunk, failure));
        }
        for (int k = indices.size(); k < answers.size(); k++) {
            answers.get(k).thenAccept(ReceivedChunk::release); // more answers than asked: nonsense, given back
        }
    }

    /** On the thread that completed the answer: the bytes go to the verifier, a failure to the serial executor. */
    private void received(Source source, ChunkLayout layout, int index, long token, ReceivedChunk chunk,
            Throwable failure) {
        if (failure != null || chunk == null) {
            Throwable why = failure != null ? failure : new PeerRequestException(Reason.PROTOCOL, "no data");
            download.onSerial(() -> requestFailed(source, index, token, why));
            return;
        }
        ChunkLoans.Loan loan = download.loans.take(chunk);
        if (loan == null) {
            return; // the download ended or stopped; the chunk was released
        }
        try {
            download.services.verifier().verify(layout, index, loan.data()).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.warn("download {}: verifying chunk {} failed", download.id, index, error);
                }
                download.onSerial(() -> answered(source, index, token, loan, Boolean.TRUE.equals(ok)));
            });
        } catch (RuntimeException e) {
            loan.release(); // the workers stopped: the manager is going away
            LOG.debug("download {}: chunk {} dropped", download.id, index, e);
        }
    }

    private void answered(Source source, int index, long token, ChunkLoans.Loan loan, boolean verified) {
        Chunk toWrite = null;
        try {
            toWrite = accept(source, index, token, verified);
        } finally {
            if (toWrite == null) {
                loan.release();
            }
        }
        if (toWrite != null) {
            write(source, toWrite, loan);
        }
    }

    /** Books a verified or wrong answer; returns the chunk when this copy is the one to write, else null. */
    private Chunk accept(Source source, int index, long token, boolean verified) {
        if (!source.endRequest(index, token)) {
            // a late copy of a chunk another source delivered, from a source that left, or from a request
            // given up (the source moved) while a newer one for the chunk is in flight
            return null;
        }
        download.board.requestEnded(index, !source.stalled());
        if (download.stopped || download.lifecycle.ending()) {
            ending.maybeComplete();
            return null;
        }
        Chunk chunk = download.layout.chunk(index);
        if (!verified) {
            badChunk(source, chunk);
            return null;
        }
        if (source.stalled()) {
            stalls.unstall(source);
        }
        source.delivered(chunk.length());
        if (download.board.isSettled(index)) {
            download.scheduler.fill();
            return null;
        }
        download.board.writing(index);
        cancelOtherRequests(index, source);
        download.scheduler.fill();
        return chunk;
    }

    /** The first verified copy won: the other requests for the chunk no longer count; their answers are dropped. */
    private void cancelOtherRequests(int index, Source winner) {
        for (Source other : download.sources.all()) {
            if (other != winner && other.endRequest(index)) {
                download.board.requestEnded(index, !other.stalled());
            }
        }
    }

    /** Writes the winning copy on a worker, straight from the received buffer, and releases it. */
    private void write(Source source, Chunk chunk, ChunkLoans.Loan loan) {
        DownloadStore target = download.store;
        download.writesInFlight++;
        boolean started = download.onWorker(() -> {
            Exception failure = null;
            try {
                target.write(chunk, loan.data());
            } catch (IOException | RuntimeException e) {
                failure = e;
            } finally {
                loan.release();
            }
            Exception why = failure;
            download.onSerial(() -> written(source, chunk, why));
        });
        if (!started) {
            loan.release(); // the manager stopped: the chunk stays not done, the store is recovered later
        }
    }

    private void written(Source source, Chunk chunk, Exception failure) {
        download.writesInFlight--;
        if (failure != null) {
            download.board.writeFailed(chunk.index());
            if (!download.stopped) {
                LOG.warn("download {}: writing {} failed", download.id, chunk.path(), failure);
                ending.endWith(DownloadState.FAILED, Sentences.diskFailure(failure, "writing " + chunk.path()));
            }
            ending.maybeComplete();
            return;
        }
        download.board.written(chunk.index());
        download.services.reservations().written(download.id, chunk.length());
        download.doneBytes += chunk.length();
        download.rate.add(chunk.length());
        if (download.stopped || download.lifecycle.ending()) {
            ending.maybeComplete();
            return;
        }
        download.scheduler.chunkDone(chunk, source);
        if (download.board.remaining() == 0) {
            ending.finish();
        } else {
            download.scheduler.fill();
        }
    }

    private void badChunk(Source source, Chunk chunk) {
        source.badChunk(chunk.index());
        sources.refuseOnSameHost(source, chunk.index());
        download.scheduler.chunkFailed(chunk, source);
        int attempts = download.board.failed(chunk.index());
        LOG.warn("download {}: chunk at {} of {} from {} does not match the manifest ({} bad from it)", download.id,
                chunk.offset(), chunk.path(), source.peerId(), source.badChunks());
        if (source.badChunks() == 1) {
            download.lifecycle.note(source.name() + " sent a part of " + chunk.path()
                    + " that does not match the agreed manifest; it was fetched again from another peer.");
        }
        if (attempts >= download.settings.attemptsPerChunk()) {
            ending.endWith(DownloadState.FAILED, "A part of " + chunk.path() + " failed " + attempts
                    + " times (wrong bytes or errors from the peers); the download stopped.");
            return;
        }
        if (source.badChunks() >= download.settings.dropAfterBadChunks()) {
            sources.drop(source);
            String note = source.name() + " sent " + source.badChunks()
                    + " chunks that do not match the agreed manifest; it is no longer used for this download.";
            LOG.warn("download {}: {}", download.id, note);
            download.lifecycle.note(note);
            download.scheduler.sourcesChanged();
        }
        sources.afterSourcesShrank();
    }

    private void requestFailed(Source source, int index, long token, Throwable failure) {
        if (!source.endRequest(index, token)) {
            return; // given up already: a newer request for the chunk may be in flight, it is not this one
        }
        download.board.requestEnded(index, !source.stalled());
        if (download.stopped || download.lifecycle.ending()) {
            ending.maybeComplete();
            return;
        }
        Chunk chunk = download.layout.chunk(index);
        Throwable cause = Sentences.unwrap(failure);
        Reason reason = cause instanceof PeerRequestException p ? p.reason() : null;
        if (sources.followMove(source)) {
            download.scheduler.fill(); // it failed at an address the peer left: asked again at the new one
            return;
        }
        download.scheduler.chunkFailed(chunk, source);
        if (reason == Reason.FILE_CHANGED) {
            source.fileChanged(download.files.fileOf(index));
            download.lifecycle.note(source.name() + "'s copy of " + chunk.path()
                    + " changed since it was hashed; other peers serve that file.");
            sources.afterSourcesShrank();
            return;
        }
        if (reason == Reason.CHUNK_NOT_HELD) {
            // a partial copy that does not hold the chunk verified (any more): not a failure, just not from it
            source.refuse(index);
            LOG.debug("download {}: {} does not hold chunk {}", download.id, source.peerId(), index);
            sources.afterSourcesShrank();
            return;
        }
        if (reason == Reason.GAME_NOT_FOUND) {
            sources.remove(source.peerId(), source.name() + " no longer has the game; it is not used.");
            return;
        }
        source.failed();
        LOG.debug("download {}: chunk {} from {} failed", download.id, index, source.peerId(), cause);
        if (reason != Reason.UNREACHABLE && reason != Reason.TIMEOUT) {
            int attempts = download.board.failed(index);
            if (attempts >= download.settings.attemptsPerChunk()) {
                ending.endWith(DownloadState.FAILED, "A part of " + chunk.path() + " could not be fetched after "
                        + attempts + " tries: the last peer asked failed because " + Sentences.peerFailure(cause) + ".");
                return;
            }
        }
        if (source.failuresInARow() >= download.settings.dropAfterFailures()) {
            sources.setAside(source, source.name() + " failed " + source.failuresInARow()
                    + " requests in a row because " + Sentences.peerFailure(cause)
                    + "; it is not asked again until it is seen again.");
            return;
        }
        download.scheduler.fill();
    }
}
