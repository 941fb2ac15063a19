package dev.httpleak.core;

import java.util.concurrent.atomic.LongAdder;

/** The exact counters of one client. Open is derived: opened - closed - leaked. */
final class Counts {
    final LongAdder opened = new LongAdder();
    final LongAdder closed = new LongAdder();
    final LongAdder leaked = new LongAdder();
    final LongAdder discarded = new LongAdder();
}
