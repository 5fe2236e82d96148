package io.lanspread.protocol;

/** The codes of an {@link Response.Error}; they carry the names of the API's request failure reasons. */
public enum ErrorCode {
    /** The file does not exist, is a directory, or the requested range lies outside it. */
    FILE_NOT_FOUND,
    /** The game id or path was refused as unsafe (absolute, {@code ..}, leaves the game folder). */
    INVALID_PATH,
    /** The request could not be parsed or is not valid. */
    BAD_REQUEST,
    /**
     * Protocol 2: the file changed since this peer hashed it (size or modification time differ from its
     * manifest, before or after the read), so its manifest no longer describes the bytes.
     */
    FILE_CHANGED,
    /** The server failed while serving (an I/O error, for example). */
    SERVER_ERROR,
    /**
     * The peer has a party key and this connection has not proven it (no {@link Request.PartyProof} yet, a
     * wrong one, or a second attempt); or a peer without a party key was sent a proof.
     */
    NOT_IN_PARTY,
    /**
     * Protocol 4: a chunk of a partial copy (a game this peer is still downloading) that it does not hold
     * verified, or whose bytes on its disk no longer match the manifest when read again.
     */
    CHUNK_NOT_HELD
}
