package io.lanspread.transport.quic.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Peer ids and fingerprints, both derived from a certificate's DER encoding: the fingerprint is its
 * SHA-256 in lower-case hex (64 digits), the peer id the first 20 bytes of that hash (40 digits).
 */
final class PeerIds {

    static final int PEER_ID_BYTES = 20;

    private PeerIds() {
    }

    static String fingerprint(X509Certificate certificate) {
        return HexFormat.of().formatHex(sha256(der(certificate)));
    }

    /** The fingerprint as its 32 raw bytes. */
    static byte[] fingerprintBytes(X509Certificate certificate) {
        return sha256(der(certificate));
    }

    static String peerId(X509Certificate certificate) {
        return HexFormat.of().formatHex(Arrays.copyOf(sha256(der(certificate)), PEER_ID_BYTES));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static byte[] sha256(byte[] data) {
        return newSha256().digest(data);
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }
}
