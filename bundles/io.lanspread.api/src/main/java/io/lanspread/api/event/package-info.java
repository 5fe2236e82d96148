/**
 * Events the runtime reports to a UI: delivered to listener services (whiteboard), and numbered with a replay
 * buffer by the {@link io.lanspread.api.event.EventHub} for UIs that subscribe.
 */
@Export
@Version("1.1.0")
package io.lanspread.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
