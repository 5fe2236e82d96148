package io.lanspread.download.internal.schedule;

import java.util.List;
import java.util.Optional;

import io.lanspread.api.download.Chunk;
import io.lanspread.api.download.PlanningContext;
import io.lanspread.api.download.SourceView;
import io.lanspread.download.internal.source.SourceSet;
import io.lanspread.download.internal.store.ChunkLayout;

/** The live view a planner session gets of one download; it outlives planner swaps. */
public final class EnginePlanningContext implements PlanningContext {
    private final String downloadId;
    private final String gameId;
    private final ChunkLayout layout;
    private final ChunkBoard board;
    private final SourceSet sources;
    private int startChunk;

    public EnginePlanningContext(String downloadId, String gameId, ChunkLayout layout, ChunkBoard board,
            SourceSet sources) {
        this.downloadId = downloadId;
        this.gameId = gameId;
        this.layout = layout;
        this.board = board;
        this.sources = sources;
    }

    @Override
    public String downloadId() {
        return downloadId;
    }

    @Override
    public String gameId() {
        return gameId;
    }

    @Override
    public int startChunk() {
        return startChunk;
    }

    /**
     * Other peers download the same content (swarming): from now on this download goes on from a place of its
     * own in chunk order (its id is random, so theirs start elsewhere), and they soon have chunks to trade.
     * A download alone keeps plain file order.
     */
    public void spreadOut() {
        if (startChunk == 0 && board.count() > 1) {
            startChunk = Math.max(1, Math.floorMod(downloadId.hashCode() * 0x9E3779B1, board.count()));
        }
    }

    @Override
    public int chunkCount() {
        return board.count();
    }

    @Override
    public Chunk chunk(int index) {
        return layout.chunk(index);
    }

    @Override
    public boolean isDone(int index) {
        return board.isDone(index);
    }

    @Override
    public int inFlight(int index) {
        return board.inFlight(index);
    }

    @Override
    public int unrequested() {
        return board.open();
    }

    @Override
    public int remaining() {
        return board.remaining();
    }

    @Override
    public List<SourceView> sources() {
        return List.copyOf(sources.usable());
    }

    @Override
    public Optional<SourceView> source(String peerId) {
        return sources.get(peerId).filter(s -> !s.stalled()).map(SourceView.class::cast);
    }
}
