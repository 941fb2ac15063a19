package dev.httpleak.report;

import dev.httpleak.core.Core;
import dev.httpleak.core.Exhaustion;
import dev.httpleak.core.Leak;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Pools;
import dev.httpleak.core.Registry;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Emits the JFR events {@code dev.httpleak.Leak}, {@code dev.httpleak.PoolExhausted} and the periodic
 * {@code dev.httpleak.PoolOccupancy}. All are enabled by default, so a plain {@code -XX:StartFlightRecording} or
 * {@code jcmd PID JFR.start} records them. Only loaded when {@code jfr=true} and the runtime has {@code jdk.jfr}.
 *
 * <p>The events are registered when the JVM's Flight Recorder starts (its first recording, or at once when it runs
 * already), not before: on JDK 17 registering an event class sets up JFR's machinery in the JVM, and from then on
 * the JIT compiled {@code HttpURLConnection}'s request path with some 250 more bytes allocated per request, no
 * recording running (JDK 25: 23 bytes). Until then nothing here touches an event class.
 */
public final class JfrEvents implements Registry.LeakListener, Pools.ExhaustionListener, FlightRecorderListener {

    private final Core core;
    private final AtomicBoolean registered = new AtomicBoolean();

    private JfrEvents(Core core) {
        this.core = core;
    }

    /** Registers the events now if the Flight Recorder runs, else when it starts. */
    public static void install(Core core) {
        FlightRecorder.addListener(new JfrEvents(core)); // calls recorderInitialized at once if it runs
    }

    /** The Flight Recorder started (on the thread starting the first recording, before it records). */
    @Override
    public void recorderInitialized(FlightRecorder recorder) {
        if (!registered.compareAndSet(false, true)) {
            return;
        }
        try {
            FlightRecorder.register(LeakEvent.class);
            FlightRecorder.register(PoolExhaustedEvent.class);
            FlightRecorder.addPeriodicEvent(PoolOccupancyEvent.class, this::occupancy);
            core.registry().addListener(this);
            core.pools().addListener(this);
        } catch (Throwable t) {
            // Never into the recording's start: the rest of the agent runs without its events.
            LogOutput.info("could not set up the JFR events, the rest runs: " + t);
        }
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
