package io.lanspread.itests.abuse;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether an answer is the one docs/protocol.md promises for a request, checked against the {@link GameTruth}
 * of the peer's games folder: every listed game, every file entry, every manifest hash and every byte (by
 * SHA-256). Each check returns null when the answer is right, else what is wrong.
 */
final class AnswerCheck {

    private static final HexFormat HEX = HexFormat.of();

    private final GameTruth truth;
    private final String peerId;

    /** @param peerId the peer id the pong must carry */
    AnswerCheck(GameTruth truth, String peerId) {
        this.truth = truth;
        this.peerId = peerId;
    }

    String ping(WireResponse r) {
        String single = single(r, "pong");
        if (single != null) {
            return single;
        }
        JsonNode pong = r.parts().get(0).header();
        if (!peerId.equals(pong.path("peerId").asText())) {
            return "pong from peer " + pong.path("peerId").asText() + ", expected " + peerId;
        }
        return pong.path("protocolVersion").asInt() == 4 ? null : "pong.protocolVersion " + pong.path("protocolVersion");
    }

    String listGames(WireResponse r) {
        String single = single(r, "games");
        if (single != null) {
            return single;
        }
        TreeSet<String> got = new TreeSet<>();
        r.parts().get(0).header().path("games").forEach(g -> got.add(g.path("id").asText() + "|" + g.path("name").asText()
                + "|" + g.path("version").asText() + "|" + g.path("size").asLong()));
        TreeSet<String> expected = new TreeSet<>();
        truth.games().forEach(g -> expected.add(g.id() + "|" + g.name() + "|" + g.version() + "|" + g.size()));
        return got.equals(expected) ? null : "games " + got + ", expected " + expected;
    }

    /** Whether every game of the truth is listed (other games may be listed too). */
    String listsAtLeast(WireResponse r) {
        String single = single(r, "games");
        if (single != null) {
            return single;
        }
        TreeSet<String> got = new TreeSet<>();
        r.parts().get(0).header().path("games").forEach(g -> got.add(g.path("id").asText() + "|" + g.path("version").asText()
                + "|" + g.path("size").asLong()));
        TreeSet<String> expected = new TreeSet<>();
        truth.games().forEach(g -> expected.add(g.id() + "|" + g.version() + "|" + g.size()));
        return got.containsAll(expected) ? null : "games " + got + ", expected at least " + expected;
    }

    String getGame(String gameId, WireResponse r) {
        String single = single(r, "gameFiles");
        if (single != null) {
            return single;
        }
        JsonNode files = r.parts().get(0).header();
        if (!gameId.equals(files.path("gameId").asText())) {
            return "gameFiles of " + files.path("gameId").asText() + ", asked for " + gameId;
        }
        TreeSet<String> got = new TreeSet<>();
        files.path("files").forEach(f -> got.add(f.path("path").asText() + "|" + f.path("size").asLong() + "|"
                + f.path("directory").asBoolean()));
        TreeSet<String> expected = new TreeSet<>();
        truth.game(gameId).entries().forEach(e -> expected.add(e.path() + "|" + e.size() + "|" + e.directory()));
        return got.equals(expected) ? null : "gameFiles " + got + ", expected " + expected;
    }

    String getManifest(String gameId, WireResponse r) {
        String single = single(r, "manifest");
        if (single != null) {
            return single;
        }
        WireResponse.Part part = r.parts().get(0);
        JsonNode m = part.header();
        GameTruth.Game game = truth.game(gameId);
        if (!gameId.equals(m.path("gameId").asText()) || !game.version().equals(m.path("version").asText())
                || m.path("chunkSize").asInt() != WireFrames.CHUNK_SIZE) {
            return "manifest header " + m.path("gameId") + " " + m.path("version") + " " + m.path("chunkSize");
        }
        List<String> got = new ArrayList<>();
        m.path("files").forEach(f -> got.add(f.path("path").asText() + "|" + f.path("size").asLong() + "|"
                + f.path("directory").asBoolean() + "|" + f.path("sha256").asText("")));
        List<String> expected = new ArrayList<>();
        StringBuilder tail = new StringBuilder();
        for (GameTruth.Entry e : game.entries()) {
            expected.add(e.path() + "|" + e.size() + "|" + e.directory() + "|" + (e.sha256() == null ? "" : e.sha256()));
            e.chunkHashes().forEach(tail::append);
        }
        if (!got.equals(expected)) {
            return "manifest files " + got + ", expected " + expected;
        }
        if (part.body() == null || !HEX.formatHex(part.body()).equals(tail.toString())) {
            return "manifest chunk hashes differ (" + (part.body() == null ? 0 : part.body().length) + " bytes, expected "
                    + tail.length() / 2 + ")";
        }
        return null;
    }

    String getGameFileData(String gameId, String path, WireResponse r) {
        String single = single(r, "fileData");
        if (single != null) {
            return single;
        }
        WireResponse.Part part = r.parts().get(0);
        GameTruth.Entry e = truth.game(gameId).entry(path);
        if (!path.equals(part.header().path("path").asText()) || part.bodyLength() != e.size()) {
            return "fileData " + part.header() + ", expected " + path + " of " + e.size() + " bytes";
        }
        return HEX.formatHex(part.sha256()).equals(e.sha256()) ? null : "the bytes of " + path + " differ";
    }

    String getChunks(String gameId, List<WireFrames.Range> asked, WireResponse r) {
        if (!r.ok()) {
            return r.problem();
        }
        if (r.parts().size() != asked.size()) {
            return r.parts().size() + " answers to " + asked.size() + " chunks: " + types(r);
        }
        GameTruth.Game game = truth.game(gameId);
        for (int i = 0; i < asked.size(); i++) {
            WireFrames.Range c = asked.get(i);
            WireResponse.Part part = r.parts().get(i);
            JsonNode h = part.header();
            if (!part.type().equals("chunk") || !c.path().equals(h.path("path").asText()) || c.offset() != h.path("offset").asLong()
                    || c.length() != h.path("length").asInt()) {
                return "answer " + i + " " + h + " to " + c;
            }
            String expected = game.entry(c.path()).chunkHashes().get((int) (c.offset() / WireFrames.CHUNK_SIZE));
            if (!HEX.formatHex(part.sha256()).equals(expected)) {
                return "the bytes of " + c + " differ";
            }
        }
        return null;
    }

    private static String single(WireResponse r, String type) {
        if (!r.ok()) {
            return r.problem();
        }
        if (r.parts().size() != 1 || !r.parts().get(0).type().equals(type)) {
            return "expected one " + type + ", got " + types(r);
        }
        return null;
    }

    private static String types(WireResponse r) {
        List<String> t = new ArrayList<>();
        r.parts().forEach(p -> t.add(p.type().equals("error") ? "error " + p.header() : p.type()));
        return t.toString();
    }
}
