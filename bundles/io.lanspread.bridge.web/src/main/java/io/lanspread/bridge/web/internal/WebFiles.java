package io.lanspread.bridge.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The page's files, read once from the bundle and kept: they are small, and never change while the bundle
 * runs. Only names made of safe characters are looked up, so no request path can leave the folder.
 */
final class WebFiles {

    /** One file with what the response needs. */
    record WebFile(byte[] bytes, String contentType, String etag) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json; charset=utf-8",
            "webmanifest", "application/manifest+json");

    private static final WebFile MISSING = new WebFile(new byte[0], "", "");

    private final ClassLoader loader;
    private final String root;
    private final Map<String, WebFile> cache = new ConcurrentHashMap<>();

    WebFiles(ClassLoader loader, String root) {
        this.loader = loader;
        this.root = root;
    }

    /** The file for a request path ({@code /} is the page), or null when there is none. */
    WebFile find(String path) {
        String name = path.equals("/") ? "/index.html" : path.equals("/login") ? "/login.html" : path;
        if (!name.matches("(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+") || name.contains("..")) {
            return null;
        }
        WebFile file = cache.computeIfAbsent(name, this::load);
        return file == MISSING ? null : file;
    }

    private WebFile load(String name) {
        String type = TYPES.get(extension(name));
        if (type == null) {
            return MISSING;
        }
        try (InputStream in = loader.getResourceAsStream(root + name)) {
            if (in == null) {
                return MISSING;
            }
            byte[] bytes = in.readAllBytes();
            return new WebFile(bytes, type, "\"" + sha256(bytes).substring(0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
