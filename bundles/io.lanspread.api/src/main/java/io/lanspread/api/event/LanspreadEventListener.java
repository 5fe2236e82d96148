package io.lanspread.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Register as a service to be told every {@link LanspreadEvent}. Events arrive in order on one thread of
 * the runtime; a listener that throws is logged and keeps receiving.
 */
@ConsumerType
public interface LanspreadEventListener {

    void onEvent(LanspreadEvent event);
}
