/** The peer client: requests to a remote peer, independent of the wire transport. */
@Export
@Version("1.5.0")
package io.lanspread.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
