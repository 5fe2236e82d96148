package io.lanspread.itests.bench.lan;

/** One way of moving the benchmark's file to the receiver host: curl, aria2c, Syncthing or lanspread. */
public interface Tool {

    /** A short key, also the row label of the report ("curl", "syncthing", "lanspread", ...). */
    String name();

    /**
     * One transfer: sets up what it needs untimed (the previous copy gone, the file known to both sides),
     * syncs and lets the machine settle, times the transfer, checks the copy is byte-identical to the source,
     * and drops it again. Throws when the transfer fails or the copy differs.
     */
    Sample run(String scenario, int round) throws Exception;

    /** After a failed {@link #run}: undoes what it may have left (a download still running, a partial copy). */
    default void reset() throws Exception {
    }
}
