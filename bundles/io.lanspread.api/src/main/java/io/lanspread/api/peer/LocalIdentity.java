package io.lanspread.api.peer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who this peer is. The peer id is derived from the peer's own TLS certificate, so a remote peer can
 * check that the certificate it sees belongs to the peer id it was told about.
 */
@ProviderType
public interface LocalIdentity {

    /** Stable across restarts (kept in the state directory). */
    String peerId();

    /** Human-readable name shown to other peers. */
    String name();

    /** SHA-256 of the DER-encoded certificate, lower-case hex. */
    String certificateFingerprint();
}
