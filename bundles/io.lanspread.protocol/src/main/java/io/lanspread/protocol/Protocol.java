package io.lanspread.protocol;

/** Constants of the lanspread/1 wire protocol. */
public final class Protocol {

    /** The wire protocol version; a peer speaking another version is refused. */
    public static final int VERSION = 1;

    /** The TLS application protocol (ALPN) both sides must offer. */
    public static final String ALPN = "lanspread/1";

    /** Bytes of the big-endian length prefix in front of every JSON frame. */
    public static final int LENGTH_PREFIX_BYTES = 4;

    /** Largest JSON payload of a request frame (64 KiB). */
    public static final int MAX_REQUEST_FRAME = 64 * 1024;

    /** Largest JSON payload of a response frame (16 MiB: a game's file list can be long). */
    public static final int MAX_RESPONSE_FRAME = 16 * 1024 * 1024;

    /**
     * Largest chunk a peer may ask for in one {@link Request.GetGameFileChunk} (1 MiB, twice the 512 KiB
     * the downloader uses). The server holds a whole chunk in memory to hash it, so this bounds what one
     * request can make it allocate.
     */
    public static final int MAX_CHUNK_LENGTH = 1024 * 1024;

    /** Largest UDP port a peer may announce. */
    public static final int MAX_PORT = 65_535;

    private Protocol() {
    }
}
