package dev.httpleak.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClockTest {

    private final Clock clock = new Clock();

    @Test
    void readsTheLatestTickAndNeverRunsAheadOfTheSystemClock() {
        long tick = clock.tick();
        assertEquals(tick, clock.now());
        assertTrue(clock.now() - System.nanoTime() <= 0);
    }

    @Test
    void standsStillBetweenTicks() throws InterruptedException {
        long tick = clock.tick();
        Thread.sleep(5);
        assertEquals(tick, clock.now());
        assertTrue(clock.tick() - tick > 0);
    }

    @Test
    void ticksOnManyThreadsLeaveTheLatestOfThem() throws InterruptedException {
        long[] latest = new long[4];
        Thread[] threads = new Thread[latest.length];
        for (int i = 0; i < threads.length; i++) {
            int slot = i;
            threads[i] = new Thread(() -> {
                for (int n = 0; n < 100_000; n++) {
                    latest[slot] = clock.tick(); // each thread's ticks come in order
                }
            });
            threads[i].start();
        }
        long max = 0;
        for (int i = 0; i < threads.length; i++) {
            threads[i].join();
            max = i == 0 || latest[i] - max > 0 ? latest[i] : max;
        }
        assertEquals(max, clock.now());
    }
}
