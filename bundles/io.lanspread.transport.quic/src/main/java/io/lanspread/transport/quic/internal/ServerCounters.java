package io.lanspread.transport.quic.internal;

import java.util.concurrent.atomic.LongAdder;

/** What the server counted since it started, across every socket it was bound to. */
record ServerCounters(LongAdder served, LongAdder accepted, LongAdder refused) {

    ServerCounters() {
        this(new LongAdder(), new LongAdder(), new LongAdder());
    }
}
