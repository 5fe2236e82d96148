package io.lanspread.api.download;

/**
 * One chunk of a download: the unit of planning, verification and retry. Chunks are numbered across the
 * whole game, file by file in manifest order, each file's chunks in offset order.
 *
 * @param index  its number in the download, 0 … {@link PlanningContext#chunkCount()} - 1
 * @param path   the file's path relative to the game folder
 * @param offset where the chunk starts in the file
 * @param length its length (the chunk size, or less for a file's last chunk)
 */
public record Chunk(int index, String path, long offset, int length) {
}
