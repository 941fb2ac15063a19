package dev.httpleak.report;

import dev.httpleak.core.Core;
import dev.httpleak.core.OpenBody;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Tally;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@code interval=DURATION} log: every interval, one compact block with the totals, the occupancy of every
 * pool route, and the suspects (bodies open longer than {@code suspectAfter}) grouped by site, oldest first.
 * Runs on its own daemon thread; off by default.
 */
public final class IntervalLog implements Runnable {

    private final Core core;
    private final LogOutput out;
    private final Duration interval;
    private final Duration suspectAfter;

    IntervalLog(Core core, LogOutput out, Duration interval, Duration suspectAfter) {
        this.core = core;
        this.out = out;
        this.interval = interval;
        this.suspectAfter = suspectAfter;
    }

    public static ScheduledExecutorService start(Core core, LogOutput out, Duration interval, Duration suspectAfter) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "httpleak-interval");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        timer.scheduleAtFixedRate(new IntervalLog(core, out, interval, suspectAfter), millis, millis,
                TimeUnit.MILLISECONDS);
        return timer;
    }

    @Override
    public void run() {
        try {
            out.note(block());
        } catch (Throwable t) {
            // One bad period must not cancel the schedule (a thrown exception would).
        }
    }

    String block() {
        Tally t = core.registry().totals();
        List<OpenBody> open = core.registry().openBodies();
        Map<String, List<OpenBody>> suspects = new LinkedHashMap<>();
        for (OpenBody b : open) {
            if (b.suspect) {
                suspects.computeIfAbsent(b.client.id() + " at " + b.site, k -> new ArrayList<>()).add(b);
            }
        }
        int suspectCount = 0;
        for (List<OpenBody> l : suspects.values()) {
            suspectCount += l.size();
        }
        StringBuilder b = new StringBuilder("every ").append(Durations.show(interval)).append(": ")
                .append(t.open).append(" open, ").append(suspectCount).append(" suspect (open longer than ")
                .append(Durations.show(suspectAfter)).append("), ").append(t.leaked).append(" leaked, ")
                .append(t.opened).append(" opened since ").append(core.since());
        List<PoolRow> rows = core.pools().rows();
        for (PoolRow r : rows) {
            b.append("\n  pool ").append(r.client.id()).append(' ').append(r.route).append(": ").append(r.leased)
                    .append(" leased, ").append(r.idle).append(" idle, max ")
                    .append(r.max == null ? "none" : r.max.toString()).append(", ").append(r.pending)
                    .append(" waiting (").append(r.pool).append(')');
        }
        for (Map.Entry<String, List<OpenBody>> e : suspects.entrySet()) {
            OpenBody oldest = e.getValue().get(0);
            b.append("\n  suspect ").append(e.getValue().size()).append(" (").append(e.getKey())
                    .append(") oldest ").append(oldest.ageMillis).append(" ms: ").append(oldest.request)
                    .append(" on thread ").append(oldest.thread);
        }
        return b.toString();
    }

    /** Durations as the options write them. */
    static final class Durations {
        private Durations() {
        }

        static String show(Duration d) {
            long ms = d.toMillis();
            if (ms % 60_000 == 0) {
                return ms / 60_000 + "m";
            }
            return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        }
    }
}
