package io.lanspread.peer.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;

import io.lanspread.api.game.LibraryListener;
import io.lanspread.api.transport.PeerNoticeListener;

/**
 * The orchestrator's whiteboard face: what other peers announce to our server and what the local library
 * reports. It has no references of its own, so the catalog and the transport can bind it while the
 * orchestrator references them (registering the orchestrator itself would close a reference cycle).
 * Forwards to the attached orchestrator; drops what arrives while none is attached.
 */
@Component(name = NoticeRelay.NAME, service = { PeerNoticeListener.class, LibraryListener.class, NoticeRelay.class })
public final class NoticeRelay implements PeerNoticeListener, LibraryListener {

    static final String NAME = "io.lanspread.peer.notices";

    /** Where the notices go; both must only hand work over to their own threads. */
    record Target(PeerNoticeListener peers, LibraryListener library) {
    }

    private final AtomicReference<Target> target = new AtomicReference<>();

    void attach(Target t) {
        target.set(t);
    }

    /** Detaches {@code t} unless another target replaced it meanwhile. */
    void detach(Target t) {
        target.compareAndSet(t, null);
    }

    @Override
    public void introduced(String peerId, String name, InetSocketAddress listenAddress, long libraryRevision) {
        Target t = target.get();
        if (t != null) {
            t.peers().introduced(peerId, name, listenAddress, libraryRevision);
        }
    }

    @Override
    public void libraryChanged(String peerId, long libraryRevision) {
        Target t = target.get();
        if (t != null) {
            t.peers().libraryChanged(peerId, libraryRevision);
        }
    }

    @Override
    public void goodbye(String peerId) {
        Target t = target.get();
        if (t != null) {
            t.peers().goodbye(peerId);
        }
    }

    @Override
    public void libraryChanged(long revision) {
        Target t = target.get();
        if (t != null) {
            t.library().libraryChanged(revision);
        }
    }
}
