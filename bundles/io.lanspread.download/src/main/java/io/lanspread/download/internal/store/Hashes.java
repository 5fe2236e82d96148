package io.lanspread.download.internal.store;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the hash of every chunk and file in a manifest. */
public final class Hashes {
    private Hashes() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** SHA-256 of the buffer's remaining bytes (32 raw bytes); the buffer's position is left alone. */
    public static byte[] sha256(ByteBuffer data) {
        MessageDigest digest = sha256();
        digest.update(data.duplicate());
        return digest.digest();
    }
}
