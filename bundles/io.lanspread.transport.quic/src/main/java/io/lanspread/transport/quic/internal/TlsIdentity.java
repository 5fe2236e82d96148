package io.lanspread.transport.quic.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

import io.lanspread.api.peer.LocalIdentity;

/**
 * This peer's identity with its key material, for the QUIC server. Registered by the identity component
 * next to {@link LocalIdentity}; the package is private, so only this bundle sees it.
 */
public interface TlsIdentity extends LocalIdentity {

    PrivateKey privateKey();

    X509Certificate certificate();

    /** The secret shared by the peers of a closed party, if this peer is in one (see {@link PartyKey}). */
    default Optional<PartyKey> partyKey() {
        return Optional.empty();
    }
}
