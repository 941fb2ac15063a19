package dev.httpleak.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The registry's coarse clock: the latest {@link System#nanoTime()} that a tick recorded. A body's opening reads
 * it instead of the system clock, a plain load instead of some 25 ns (a quarter of the agent's own work for one
 * urlconnection response, measured by {@code Tracking} on a 2-core VM). The reaper ticks it on every wake, at most
 * {@link Registry#MOVE_MILLIS} apart while it runs, and so do the rare events that need an exact order: an end
 * from another thread, a test's baseline. So a time read here is never later than the moment it was read, and an
 * event that read it after a tick at {@code t} happened after {@code t}.
 *
 * <p>The value sits alone in the middle of a padded array, as {@link Lane}'s counters do, so that no line that
 * requests write shares the line every opening reads.
 */
final class Clock {

    /** Array elements of padding on each side: 128 bytes, two cache lines. */
    private static final int PAD = 16;
    private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] cells = new long[PAD * 2 + 1];

    Clock() {
        cells[PAD] = System.nanoTime();
    }

    /** The latest tick's time. */
    long now() {
        return (long) LONG.getAcquire(cells, PAD);
    }

    /** Records the system clock's time now, and returns it. */
    long tick() {
        long t = System.nanoTime();
        for (long c = now(); t - c > 0 && !LONG.weakCompareAndSet(cells, PAD, c, t); c = now()) {
            // Another tick moved it meanwhile: keep the later of the two.
        }
        return t;
    }
}
