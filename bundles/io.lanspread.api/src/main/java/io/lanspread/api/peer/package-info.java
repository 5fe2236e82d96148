/** Peers: identity of this peer, remote peers and the directory of their games (PeerGameDB). */
@Export
@Version("1.0.0")
package io.lanspread.api.peer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
