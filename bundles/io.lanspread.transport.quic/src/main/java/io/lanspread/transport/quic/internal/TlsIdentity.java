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

    /**
     * This identity as it is now, unchanging: a configuration change replaces the identity's key, certificate,
     * name or party key, and whoever builds a TLS context reads them together from one snapshot.
     */
    default TlsIdentity current() {
        return this;
    }

    /** Whether TLS contexts made from {@code before} must be made again for this one (key or party key). */
    default boolean keysDifferFrom(TlsIdentity before) {
        return !certificate().equals(before.certificate()) || !partyKey().equals(before.partyKey());
    }
}
