package io.lanspread.api.download;

import java.util.List;
import java.util.Objects;

/**
 * One request a planner asks for: one source and one or more chunks.
 *
 * @param peerId the source
 * @param chunks the chunks' indices
 */
public record PlannedRequest(String peerId, List<Integer> chunks) {
    public PlannedRequest {
        Objects.requireNonNull(peerId, "peerId");
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one chunk");
        }
    }

    public static PlannedRequest of(SourceView source, int... chunks) {
        return new PlannedRequest(source.peerId(), java.util.Arrays.stream(chunks).boxed().toList());
    }
}
