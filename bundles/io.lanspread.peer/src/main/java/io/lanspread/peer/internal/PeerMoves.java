package io.lanspread.peer.internal;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Known peers that introduced themselves at another port (they were reconfigured), the address each one is
 * moving to, and how often the check there failed: a new socket on a busy machine may miss a short connect
 * timeout, so the check is repeated 0.25 s after the first failure and twice as long each time after, up to
 * {@link #MOVE_CHECKS} checks in all; then only the next discovery report or introduction tries again.
 *
 * <p>Bookkeeping only, on the tracker's thread; the tracker says the hellos.
 */
final class PeerMoves {

    static final int MOVE_CHECKS = 5;
    private static final long FIRST_RECHECK_MILLIS = 250;

    /** Known peer id -> the address it said it moved to. */
    private final Map<String, InetSocketAddress> moving = new HashMap<>();
    /**
     * New addresses whose hello could not be sent because another one to that address was under way (a
     * discovery report that came first, maybe before the peer listened there): said hello to again if that one
     * fails, since the peer itself said it listens there now.
     */
    private final Set<InetSocketAddress> helloAgain = new HashSet<>();
    /** New addresses whose check failed, and how many times. */
    private final Map<InetSocketAddress, Integer> checksFailed = new HashMap<>();

    /** The peer said it listens at {@code address} now: a fresh series of checks there. */
    void expect(String peerId, InetSocketAddress address) {
        moving.put(peerId, address);
        checksFailed.remove(address);
    }

    /** The hello to a new address could not be sent (one is under way): send it again if that one fails. */
    void helloAgainLater(InetSocketAddress address) {
        helloAgain.add(address);
    }

    /** Whether a second hello was asked for while one was under way; clears the request. */
    boolean takeHelloAgain(InetSocketAddress address) {
        return helloAgain.remove(address);
    }

    /** Whether some known peer is moving to this address. */
    boolean isTarget(InetSocketAddress address) {
        return moving.containsValue(address);
    }

    /** Whether {@code address} is where this peer said it moved: it answered there, and the move is done. */
    boolean arrived(String peerId, InetSocketAddress address) {
        if (!address.equals(moving.get(peerId))) {
            return false;
        }
        moving.remove(peerId);
        checksFailed.remove(address);
        return true;
    }

    /**
     * A check of a new address failed.
     *
     * @return how long to wait before checking again, or empty when the checks are used up
     */
    OptionalLong checkFailed(InetSocketAddress address) {
        int failed = checksFailed.merge(address, 1, Integer::sum);
        if (failed >= MOVE_CHECKS) {
            checksFailed.remove(address);
            return OptionalLong.empty();
        }
        return OptionalLong.of(FIRST_RECHECK_MILLIS << (failed - 1));
    }

    /** The peer is gone: so is its move. */
    void forget(String peerId) {
        InetSocketAddress to = moving.remove(peerId);
        if (to != null) {
            checksFailed.remove(to);
        }
    }
}
