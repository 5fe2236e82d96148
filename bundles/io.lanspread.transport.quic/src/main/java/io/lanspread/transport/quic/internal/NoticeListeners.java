package io.lanspread.transport.quic.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lanspread.api.transport.PeerNoticeListener;

/** Tells every registered {@link PeerNoticeListener}, isolating each from the others' failures. */
final class NoticeListeners {

    private static final Logger LOG = LoggerFactory.getLogger(NoticeListeners.class);

    private final List<PeerNoticeListener> listeners;

    /** @param listeners a live, thread-safe list (the server's copy-on-write whiteboard list) */
    NoticeListeners(List<PeerNoticeListener> listeners) {
        this.listeners = listeners;
    }

    void introduced(String peerId, String name, InetSocketAddress listenAddress, long libraryRevision) {
        each("introduced", peerId, l -> l.introduced(peerId, name, listenAddress, libraryRevision));
    }

    void libraryChanged(String peerId, long libraryRevision) {
        each("libraryChanged", peerId, l -> l.libraryChanged(peerId, libraryRevision));
    }

    void goodbye(String peerId) {
        each("goodbye", peerId, l -> l.goodbye(peerId));
    }

    private void each(String notice, String peerId, Consumer<PeerNoticeListener> call) {
        for (PeerNoticeListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (Exception e) {
                LOG.warn("notice listener {} failed on {} from {}", listener, notice, peerId, e);
            }
        }
    }
}
