package dev.httpleak.report;

import dev.httpleak.core.Exhaustion;
import dev.httpleak.core.Leak;
import dev.httpleak.core.Pools;
import dev.httpleak.core.Registry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns leaks and exhaustions into warnings: one WARN with the stack for the first leak of each site, then
 * a count of the repeats at most every {@value #REPEAT_SECONDS} seconds per site (and at exit).
 */
public final class LeakLog implements Registry.LeakListener, Pools.ExhaustionListener {

    static final int REPEAT_SECONDS = 10;

    private final LogOutput out;
    private final ConcurrentHashMap<String, Repeats> repeats = new ConcurrentHashMap<>();

    public LeakLog(LogOutput out) {
        this.out = out;
    }

    @Override
    public void leaked(Leak leak) {
        String key = leak.client.id() + '|' + leak.site;
        Repeats r = repeats.get(key);
        if (r == null && repeats.putIfAbsent(key, new Repeats()) == null) {
            out.warn("leaked response body (" + leak.client.id() + ") at " + leak.site + ": " + leak.request
                    + status(leak.status) + ", opened on thread " + leak.thread
                    + "; it was never closed nor read to the end, so its connection was not given back"
                    + stack(leak.stack));
            return;
        }
        r = repeats.get(key);
        r.unreported.incrementAndGet();
        long now = System.nanoTime();
        long last = r.lastPrinted.get();
        if (now - last > TimeUnit.SECONDS.toNanos(REPEAT_SECONDS) && r.lastPrinted.compareAndSet(last, now)) {
            printRepeats(leak.client.id(), leak.site, r, leak.siteTotal);
        }
    }

    @Override
    public void exhausted(Exhaustion e) {
        StringBuilder b = new StringBuilder("connection pool exhausted (").append(e.client.id()).append(") for ")
                .append(e.route).append(": ").append(e.leased).append(" leased of ")
                .append(e.max == null ? "no limit" : e.max).append(", ").append(e.pending)
                .append(" waiting; connections held by:");
        if (e.holders.isEmpty()) {
            b.append(" (no open body known to httpleak)");
        }
        for (Exhaustion.Holder h : e.holders) {
            b.append("\n    ").append(h.count).append(" at ").append(h.site).append(" (oldest ")
                    .append(h.oldestMillis).append(" ms)");
        }
        out.warn(b.toString());
    }

    /** Prints the repeats not yet reported; called at exit. */
    public void flush() {
        repeats.forEach((key, r) -> {
            int bar = key.indexOf('|');
            printRepeats(key.substring(0, bar), key.substring(bar + 1), r, -1);
        });
    }

    private void printRepeats(String client, String site, Repeats r, long total) {
        long n = r.unreported.getAndSet(0);
        if (n > 0) {
            out.warn(n + " more leaked response bodies (" + client + ") at " + site
                    + (total > 0 ? " (" + total + " in all)" : ""));
        }
    }

    private static String status(int status) {
        return status < 0 ? "" : ", status " + status;
    }

    static String stack(StackTraceElement[] stack) {
        if (stack == null) {
            return " (no allocation stack captured; see the stacks= option)";
        }
        StringBuilder b = new StringBuilder("; allocation stack:");
        for (StackTraceElement e : stack) {
            b.append("\n    at ").append(e);
        }
        return b.toString();
    }

    private static final class Repeats {
        final AtomicLong unreported = new AtomicLong();
        final AtomicLong lastPrinted = new AtomicLong(System.nanoTime());
    }
}
