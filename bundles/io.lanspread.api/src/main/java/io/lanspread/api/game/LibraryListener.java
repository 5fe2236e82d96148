package io.lanspread.api.game;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as a service to be told when the local library changes (a game added, removed, or its
 * {@code version.ini} changed). Called on the library's own thread, after the new state is visible
 * through {@link LocalLibrary}; must not block for long.
 */
@ConsumerType
public interface LibraryListener {

    void libraryChanged(long revision);
}
