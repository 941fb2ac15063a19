package dev.httpleak.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides which bodies of one client get their site named ({@code stacks=sampled} and {@code off}). Naming a site
 * walks the stack, ten microseconds or more on a busy machine (the walk's frames are cold then); a keep-alive request
 * to a near server can take twenty. So every body is named in bursts of up to {@link #BURST} (tests, start-up, most
 * services), and past that {@link #RATE} a second.
 * Counts stay exact; a leaked body that was not sampled counts under the site {@link Origin#UNSAMPLED}, and from
 * then on every body is named for {@link #BOOST_NANOS}, so a path that keeps leaking gets its real site named.
 * The check is two volatile reads at the time the caller passes (the registry's coarse clock, read once per body);
 * only a sampled body writes (a generic cell rate algorithm: no lock, no counter shared by every body).
 */
final class Sampler {

    /** Bodies named one after another however fast they come. */
    static final long BURST = 1_000;
    /**
     * Bodies a second named past a burst. At 100 a second, naming took 0.7 to 0.9 % of the CPU of an 8-thread
     * benchmark on 2 cores (async-profiler; urlconnection and the Apache clients), more than all the rest of the
     * agent's work: about 90 µs a walk in place. At 10 it costs under a millisecond of CPU a second.
     */
    static final long RATE = 10;
    /** How long every body is named after a leak of one that was not. */
    static final long BOOST_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1) / RATE;
    private static final long TOLERANCE = (BURST - 1) * INTERVAL;

    /** When the next body would be due if bodies came at exactly {@link #RATE}; ahead of now by a burst at most. */
    private final AtomicLong due;
    private volatile long boostUntil;

    /** A sampler whose times are {@code now}'s ({@link System#nanoTime()}, or a clock that lags it). */
    Sampler(long now) {
        due = new AtomicLong(now);
        boostUntil = now;
    }

    /** Whether the body opening now (the registry's clock, see {@link Clock}) gets its site named. */
    boolean sample(long now) {
        if (boostUntil - now > 0) {
            return true;
        }
        long d = due.get();
        if (d - now > TOLERANCE) {
            return false;
        }
        // A lost race means another body took this slot: this one is simply not sampled.
        return due.compareAndSet(d, Math.max(d, now) + INTERVAL);
    }

    /** A body that was not sampled leaked at {@code now}: name every body for a while. */
    void boost(long now) {
        boostUntil = now + BOOST_NANOS;
    }
}
