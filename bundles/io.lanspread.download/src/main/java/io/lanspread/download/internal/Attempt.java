package io.lanspread.download.internal;

/** One request of a chunk from one source. */
record Attempt(ChunkTask task, SourceState source, int number) {
}
