/** Events the runtime reports to a UI, delivered to listener services (whiteboard). */
@Export
@Version("1.0.0")
package io.lanspread.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
