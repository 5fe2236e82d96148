package io.lanspread.protocol;

import java.util.List;

/** Constants of the lanspread wire protocol, versions 1 to 4. */
public final class Protocol {

    /** The oldest version still spoken. */
    public static final int VERSION_1 = 1;

    /** Version 2: manifests ({@link Request.GetManifest}) and chunks served without a hash of the sender. */
    public static final int VERSION_2 = 2;

    /** Version 3: several chunks on one stream ({@link Request.GetChunks}). */
    public static final int VERSION_3 = 3;

    /**
     * Version 4: swarming. Have-maps of partial copies ({@link Request.GetHave}) and chunk requests naming the
     * version they are for ({@link Request.GetChunks#version()}), so that a peer still downloading a game serves
     * the chunks it verified.
     */
    public static final int VERSION_4 = 4;

    /** The newest version this implementation speaks; {@link Response.Pong#protocolVersion()} carries it. */
    public static final int VERSION = VERSION_4;

    /** The TLS application protocol (ALPN) of version 1. */
    public static final String ALPN_1 = "lanspread/1";

    /** The TLS application protocol (ALPN) of version 2. */
    public static final String ALPN_2 = "lanspread/2";

    /** The TLS application protocol (ALPN) of version 3. */
    public static final String ALPN_3 = "lanspread/3";

    /** The TLS application protocol (ALPN) of version 4. */
    public static final String ALPN_4 = "lanspread/4";

    /** What both sides offer in the handshake, preferred first; the one negotiated is the connection's version. */
    public static final List<String> APPLICATION_PROTOCOLS = List.of(ALPN_4, ALPN_3, ALPN_2, ALPN_1);

    /** Bytes of the big-endian length prefix in front of every JSON frame. */
    public static final int LENGTH_PREFIX_BYTES = 4;

    /** Largest JSON payload of a request frame (64 KiB). */
    public static final int MAX_REQUEST_FRAME = 64 * 1024;

    /** Largest JSON payload of a response frame (16 MiB: a game's file list can be long). */
    public static final int MAX_RESPONSE_FRAME = 16 * 1024 * 1024;

    /**
     * Largest chunk a peer may ask for in one {@link Request.GetGameFileChunk} (1 MiB, twice the 512 KiB
     * the downloader uses). The server holds a whole chunk in memory, so this bounds what one request can
     * make it allocate. A manifest's chunk size may not exceed it either.
     */
    public static final int MAX_CHUNK_LENGTH = 1024 * 1024;

    /**
     * Most chunks one {@link Request.GetChunks} may ask for (32: 16 MiB of 512 KiB chunks). The server reads
     * them one after another, never more than two of a stream at once, so this bounds the request's frame,
     * not the server's memory.
     */
    public static final int MAX_CHUNKS_PER_REQUEST = 32;

    /**
     * Largest binary tail of a {@link Response.Manifest}: the chunk hashes, 32 bytes each (64 MiB: two
     * million chunks, 1 TiB of 512 KiB chunks; a 200 GiB game needs 13 MiB).
     */
    public static final int MAX_MANIFEST_HASH_BYTES = 64 * 1024 * 1024;

    /** Bytes of one SHA-256 hash in a manifest's binary tail. */
    public static final int HASH_BYTES = 32;

    /** QUIC application error code of an ordinary close (a peer stopping, a client done with a connection). */
    public static final int CLOSE_NORMAL = 0;

    /**
     * QUIC application error code of a connection the server refused at once after the handshake, because one of
     * its limits (connections per address, connections in total) was reached; the close's reason phrase is a
     * sentence saying which.
     */
    public static final int CLOSE_REFUSED = 1;

    /** Largest UDP port a peer may announce. */
    public static final int MAX_PORT = 65_535;

    private Protocol() {
    }

    /** The version an ALPN protocol name stands for; 0 for null or a name lanspread does not speak. */
    public static int versionOf(String applicationProtocol) {
        if (ALPN_4.equals(applicationProtocol)) {
            return VERSION_4;
        }
        if (ALPN_3.equals(applicationProtocol)) {
            return VERSION_3;
        }
        if (ALPN_2.equals(applicationProtocol)) {
            return VERSION_2;
        }
        if (ALPN_1.equals(applicationProtocol)) {
            return VERSION_1;
        }
        return 0;
    }
}
