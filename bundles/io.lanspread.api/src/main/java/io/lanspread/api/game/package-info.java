/** Games and their files: the local library and its scan results. */
@Export
@Version("1.4.0")
package io.lanspread.api.game;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
