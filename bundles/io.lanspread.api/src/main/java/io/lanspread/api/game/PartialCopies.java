package io.lanspread.api.game;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The games this peer is still downloading, as far as it may share them (swarming): a download whose manifest
 * has been chosen offers the chunks it has verified and written to other peers. The peer's server asks here
 * for a game version its library does not list.
 */
@ProviderType
public interface PartialCopies {

    /** The partial copy of exactly this version of the game, when a download of it is fetching now. */
    Optional<PartialCopy> copy(String gameId, String version);
}
