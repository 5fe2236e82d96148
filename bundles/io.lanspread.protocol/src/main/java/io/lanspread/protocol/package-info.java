/**
 * The lanspread wire protocol, versions 1 to 3: request and response messages and their framing codec
 * (4-byte big-endian length prefix + UTF-8 JSON with a {@code type} discriminator; a manifest adds a binary
 * tail of chunk hashes). No I/O here; transports feed bytes in and write the encoded frames out. See
 * {@code docs/protocol.md}.
 */
@Export
@Version("2.2.0")
package io.lanspread.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
