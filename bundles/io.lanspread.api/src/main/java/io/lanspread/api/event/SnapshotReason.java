package io.lanspread.api.event;

/** Why a subscriber gets a {@link HubEvent.Snapshot} instead of the events it missed. */
public enum SnapshotReason {
    /** It subscribed without the id of an event it saw. */
    NO_ID,
    /** The id is not one of this run of the runtime: from before a restart, malformed, or never issued. */
    UNKNOWN_ID,
    /** The id is of this run, but the events after it are no longer in the replay buffer. */
    EXPIRED_ID,
    /** While subscribed, it fell further behind than the replay buffer holds. */
    FELL_BEHIND
}
