/** Downloads: the manager, its status, and the planner SPI that spreads chunks over peers. */
@Export
@Version("2.1.0")
package io.lanspread.api.download;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
