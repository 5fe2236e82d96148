package io.lanspread.bridge.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HTTP token: 32 random bytes in {@code <state>/http-token}, made when missing (readable by the owner
 * only). Scripts send it as {@code Authorization: Bearer <token>}; a browser logs in once and then carries a
 * session cookie derived from it, so the token itself is never stored in the browser.
 */
final class TokenStore {

    private static final String SESSION_LABEL = "lanspread http session v1";

    private final Path file;
    private final String token;
    private final String session;

    private TokenStore(Path file, String token) {
        this.file = file;
        this.token = token;
        this.session = hmac(token, SESSION_LABEL);
    }

    /** The token in {@code file}, or a new one written there. */
    static TokenStore open(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (existing.length() >= 16) {
                return new TokenStore(file, existing);
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp); // not a POSIX file system
        } catch (FileAlreadyExistsException e) {
            // another start raced us to it: overwrite below
        }
        Files.writeString(temp, fresh + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return new TokenStore(file, fresh);
    }

    Path file() {
        return file;
    }

    /** True for the token itself (from a script). */
    boolean isToken(String candidate) {
        return candidate != null && constantTimeEquals(candidate.trim(), token);
    }

    /** True for the session cookie's value a login handed out. */
    boolean isSession(String candidate) {
        return candidate != null && constantTimeEquals(candidate, session);
    }

    String session() {
        return session;
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String hmac(String key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }
}
