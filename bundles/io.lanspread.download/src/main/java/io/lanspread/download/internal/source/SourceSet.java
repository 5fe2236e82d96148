package io.lanspread.download.internal.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The sources of one download, and the peers it no longer asks at all (dropped for bad chunks).
 * Confined to the download's serial executor.
 */
public final class SourceSet {
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Set<String> dropped = new HashSet<>();

    public void add(Source source) {
        sources.put(source.peerId(), source);
    }

    public Optional<Source> remove(String peerId) {
        return Optional.ofNullable(sources.remove(peerId));
    }

    public Optional<Source> get(String peerId) {
        return Optional.ofNullable(sources.get(peerId));
    }

    public boolean contains(String peerId) {
        return sources.containsKey(peerId);
    }

    /** Removes a source for good: events that list it again do not bring it back into this download. */
    public Optional<Source> drop(String peerId) {
        dropped.add(peerId);
        return remove(peerId);
    }

    public boolean isDropped(String peerId) {
        return dropped.contains(peerId);
    }

    public Collection<Source> all() {
        return sources.values();
    }

    /** The sources that may be asked now (not stalled). */
    public List<Source> usable() {
        List<Source> usable = new ArrayList<>(sources.size());
        for (Source source : sources.values()) {
            if (!source.stalled()) {
                usable.add(source);
            }
        }
        return usable;
    }

    public boolean isEmpty() {
        return sources.isEmpty();
    }

    public int size() {
        return sources.size();
    }

    public int active() {
        int active = 0;
        for (Source source : sources.values()) {
            if (source.inFlight() > 0) {
                active++;
            }
        }
        return active;
    }
}
