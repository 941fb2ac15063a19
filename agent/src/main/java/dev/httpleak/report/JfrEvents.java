package dev.httpleak.report;

import dev.httpleak.core.Core;
import dev.httpleak.core.Exhaustion;
import dev.httpleak.core.Leak;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Pools;
import dev.httpleak.core.Registry;

import jdk.jfr.FlightRecorder;

/**
 * Emits the JFR events {@code dev.httpleak.Leak}, {@code dev.httpleak.PoolExhausted} and the periodic
 * {@code dev.httpleak.PoolOccupancy}. All are enabled by default, so a plain {@code -XX:StartFlightRecording} or
 * {@code jcmd PID JFR.start} records them. Only loaded when {@code jfr=true} and the runtime has {@code jdk.jfr}.
 */
public final class JfrEvents implements Registry.LeakListener, Pools.ExhaustionListener {

    private final Core core;

    private JfrEvents(Core core) {
        this.core = core;
    }

    public static void install(Core core) {
        JfrEvents events = new JfrEvents(core);
        FlightRecorder.register(LeakEvent.class);
        FlightRecorder.register(PoolExhaustedEvent.class);
        FlightRecorder.addPeriodicEvent(PoolOccupancyEvent.class, events::occupancy);
        core.registry().addListener(events);
        core.pools().addListener(events);
    }

    @Override
    public void leaked(Leak leak) {
        LeakEvent e = new LeakEvent();
        if (!e.isEnabled()) {
            return; // no recording wants it: skip building the stack text
        }
        e.client = leak.client.id();
        e.site = leak.site;
        e.request = leak.request;
        e.status = leak.status;
        e.thread = leak.thread;
        e.stack = stack(leak.stack);
        e.siteLeaks = leak.siteTotal;
        e.commit();
    }

    @Override
    public void exhausted(Exhaustion x) {
        PoolExhaustedEvent e = new PoolExhaustedEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.client = x.client.id();
        e.route = x.route;
        e.leased = x.leased;
        e.max = x.max == null ? -1 : x.max;
        e.pending = x.pending;
        StringBuilder b = new StringBuilder();
        for (Exhaustion.Holder h : x.holders) {
            b.append(b.length() == 0 ? "" : "\n").append(h.count).append(" at ").append(h.site)
                    .append(" (oldest ").append(h.oldestMillis).append(" ms)");
        }
        e.holders = b.toString();
        e.commit();
    }

    /** The periodic hook: runs on JFR's own thread, only while a recording has the event on. */
    private void occupancy() {
        try {
            for (PoolRow row : core.pools().rows()) {
                PoolOccupancyEvent e = new PoolOccupancyEvent();
                e.client = row.client.id();
                e.pool = row.pool;
                e.route = row.route;
                e.leased = row.leased;
                e.idle = row.idle;
                e.max = row.max == null ? -1 : row.max;
                e.pending = row.pending;
                e.commit();
            }
        } catch (RuntimeException ignored) {
            // A pool that cannot be read is left out of this period; the recording goes on.
        }
    }

    private static String stack(StackTraceElement[] stack) {
        if (stack == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (StackTraceElement f : stack) {
            b.append(b.length() == 0 ? "" : "\n").append(f);
        }
        return b.toString();
    }
}
