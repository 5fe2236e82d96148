package io.lanspread.itests.abuse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a peer must answer about the games in a games folder, computed from the files themselves: per game
 * its id, name, version and size, and per entry of its tree the path, size, whether it is a folder, the
 * file's SHA-256 and the SHA-256 of every 512 KiB chunk. Written by the test as JSON and read by the
 * client JVMs, which check every answer against it.
 */
record GameTruth(List<Game> games) {

    record Game(String id, String name, String version, long size, List<Entry> entries) {
        List<Entry> files() {
            return entries.stream().filter(e -> !e.directory()).toList();
        }

        Entry entry(String path) {
            return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
        }
    }

    record Entry(String path, long size, boolean directory, String sha256, List<String> chunkHashes) {
        int chunks() {
            return chunkHashes.size();
        }

        int chunkLength(int index) {
            return (int) Math.min(WireFrames.CHUNK_SIZE, size - (long) index * WireFrames.CHUNK_SIZE);
        }
    }

    Game game(String id) {
        return games.stream().filter(g -> g.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no game " + id));
    }

    /** Every game (a folder with a version.ini) of {@code gamesDir}, hashed. */
    static GameTruth of(Path gamesDir) throws IOException {
        return of(gamesDir, id -> true, true);
    }

    /**
     * The games of {@code gamesDir} whose id {@code include} accepts; without {@code hashed}, file and chunk
     * hashes are left empty (enough for clients that only ask and never check).
     */
    static GameTruth of(Path gamesDir, Predicate<String> include, boolean hashed) throws IOException {
        List<Game> games = new ArrayList<>();
        try (Stream<Path> list = Files.list(gamesDir)) {
            for (Path dir : list.sorted().toList()) {
                if (Files.isRegularFile(dir.resolve("version.ini")) && include.test(dir.getFileName().toString())) {
                    games.add(game(dir, hashed));
                }
            }
        }
        return new GameTruth(games);
    }

    private static Game game(Path dir, boolean hashed) throws IOException {
        String name = null;
        String version = null;
        for (String line : Files.readAllLines(dir.resolve("version.ini"))) {
            String l = line.strip();
            if (l.toLowerCase(Locale.ROOT).startsWith("name=")) {
                name = l.substring(5).strip();
            } else if (l.toLowerCase(Locale.ROOT).startsWith("version=")) {
                version = l.substring(8).strip();
            }
        }
        List<Entry> entries = new ArrayList<>();
        long size = 0;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                if (p.equals(dir)) {
                    continue;
                }
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (Files.isDirectory(p)) {
                    entries.add(new Entry(rel, 0, true, null, List.of()));
                } else {
                    entries.add(hashed ? file(rel, p) : unhashed(rel, Files.size(p)));
                    size += Files.size(p);
                }
            }
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return new Game(dir.getFileName().toString(), name, version, size, List.copyOf(entries));
    }

    private static Entry unhashed(String rel, long size) {
        int chunks = (int) ((size + WireFrames.CHUNK_SIZE - 1) / WireFrames.CHUNK_SIZE);
        return new Entry(rel, size, false, "", Collections.nCopies(chunks, ""));
    }

    private static Entry file(String rel, Path p) throws IOException {
        MessageDigest whole = ResponseCollector.sha256();
        List<String> chunks = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(WireFrames.CHUNK_SIZE);
        HexFormat hex = HexFormat.of();
        try (FileChannel in = FileChannel.open(p)) {
            while (true) {
                buf.clear();
                while (buf.hasRemaining() && in.read(buf) >= 0) {
                    // fill a whole chunk unless the file ends
                }
                buf.flip();
                if (!buf.hasRemaining()) {
                    break;
                }
                MessageDigest chunk = ResponseCollector.sha256();
                chunk.update(buf.duplicate());
                whole.update(buf);
                chunks.add(hex.formatHex(chunk.digest()));
                if (buf.limit() < WireFrames.CHUNK_SIZE) {
                    break;
                }
            }
        }
        return new Entry(rel, Files.size(p), false, hex.formatHex(whole.digest()), List.copyOf(chunks));
    }

    void write(Path file) throws IOException {
        ObjectNode root = WireFrames.JSON.createObjectNode();
        ArrayNode gs = root.putArray("games");
        for (Game g : games) {
            ObjectNode n = gs.addObject().put("id", g.id()).put("name", g.name()).put("version", g.version())
                    .put("size", g.size());
            ArrayNode es = n.putArray("entries");
            for (Entry e : g.entries()) {
                ObjectNode en = es.addObject().put("path", e.path()).put("size", e.size()).put("directory", e.directory());
                if (e.sha256() != null) {
                    en.put("sha256", e.sha256());
                }
                ArrayNode ch = en.putArray("chunks");
                e.chunkHashes().forEach(ch::add);
            }
        }
        WireFrames.JSON.writeValue(file.toFile(), root);
    }

    static GameTruth read(Path file) throws IOException {
        JsonNode root = WireFrames.JSON.readTree(file.toFile());
        List<Game> games = new ArrayList<>();
        for (JsonNode g : root.path("games")) {
            List<Entry> entries = new ArrayList<>();
            for (JsonNode e : g.path("entries")) {
                List<String> chunks = new ArrayList<>();
                e.path("chunks").forEach(c -> chunks.add(c.asText()));
                entries.add(new Entry(e.path("path").asText(), e.path("size").asLong(), e.path("directory").asBoolean(),
                        e.has("sha256") ? e.get("sha256").asText() : null, List.copyOf(chunks)));
            }
            games.add(new Game(g.path("id").asText(), g.path("name").asText(), g.path("version").asText(),
                    g.path("size").asLong(), List.copyOf(entries)));
        }
        return new GameTruth(List.copyOf(games));
    }
}
