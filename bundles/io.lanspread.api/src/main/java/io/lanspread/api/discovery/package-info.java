/** Discovery SPI: backends that find peers (static list, mDNS, ...). */
@Export
@Version("1.0.0")
package io.lanspread.api.discovery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
