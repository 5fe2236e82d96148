package io.lanspread.transport.quic.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A party's shared secret and the proofs made with it. A proof is HMAC-SHA256(key, label || SHA-256 of the
 * client's certificate || SHA-256 of the server's certificate): it binds both ends of one connection, so a
 * proof seen on one connection is worthless on any other, and the labels keep the client's proof from being
 * mirrored back as the server's. The secret itself never leaves this object ({@link #toString} hides it).
 */
public final class PartyKey {

    static final String CLIENT_LABEL = "lanspread party client";
    static final String SERVER_LABEL = "lanspread party server";
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    private PartyKey(String secret) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
    }

    /** The key a configured secret stands for; empty for none (null or blank). */
    static Optional<PartyKey> of(String secret) {
        return secret == null || secret.isBlank() ? Optional.empty() : Optional.of(new PartyKey(secret));
    }

    String clientProof(X509Certificate client, X509Certificate server) {
        return proof(CLIENT_LABEL, client, server);
    }

    String serverProof(X509Certificate client, X509Certificate server) {
        return proof(SERVER_LABEL, client, server);
    }

    boolean isClientProof(String proof, X509Certificate client, X509Certificate server) {
        return same(proof, clientProof(client, server));
    }

    boolean isServerProof(String proof, X509Certificate client, X509Certificate server) {
        return same(proof, serverProof(client, server));
    }

    /** Compared in constant time, so the time taken tells nothing about how much of a guess was right. */
    private static boolean same(String proof, String expected) {
        return MessageDigest.isEqual(proof.getBytes(StandardCharsets.US_ASCII),
                expected.getBytes(StandardCharsets.US_ASCII));
    }

    private String proof(String label, X509Certificate client, X509Certificate server) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update(PeerIds.fingerprintBytes(client));
            mac.update(PeerIds.fingerprintBytes(server));
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    /** Same secret (compared in constant time): a reconfiguration that keeps it keeps the connections. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PartyKey that && MessageDigest.isEqual(key.getEncoded(), that.key.getEncoded());
    }

    @Override
    public int hashCode() {
        return PartyKey.class.hashCode(); // never derived from the secret
    }

    @Override
    public String toString() {
        return "PartyKey[hidden]";
    }
}
