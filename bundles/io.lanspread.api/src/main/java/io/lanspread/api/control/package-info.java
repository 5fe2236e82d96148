/** The entry point a UI uses: commands in, queries, and the errors they can raise. */
@Export
@Version("1.3.0")
package io.lanspread.api.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
