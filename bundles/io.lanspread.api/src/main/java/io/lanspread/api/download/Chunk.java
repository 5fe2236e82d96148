package io.lanspread.api.download;

/** A byte range of one file of a game. */
public record Chunk(String path, long offset, int length) {
}
