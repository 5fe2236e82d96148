package io.lanspread.api.transport;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** This peer's server, registered while it is listening. */
@ProviderType
public interface PeerServer {

    /** The bound address; its port is the real one even when port 0 was configured. */
    InetSocketAddress localAddress();

    /** The newest wire protocol version served. */
    int protocolVersion();

    /** File bytes sent to other peers since this server started (chunk and whole-file bodies). */
    long servedBytes();

    /** The limits on chunk answers read at once, and how many are being read and waiting now. */
    default UplinkStatus uplink() {
        return UplinkStatus.UNKNOWN;
    }
}
