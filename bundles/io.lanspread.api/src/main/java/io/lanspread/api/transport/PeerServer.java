package io.lanspread.api.transport;

import java.net.InetSocketAddress;

import org.osgi.annotation.versioning.ProviderType;

/** This peer's server, registered while it is listening. */
@ProviderType
public interface PeerServer {

    /** The bound address; its port is the real one even when port 0 was configured. */
    InetSocketAddress localAddress();

    /** The wire protocol version served. */
    int protocolVersion();
}
