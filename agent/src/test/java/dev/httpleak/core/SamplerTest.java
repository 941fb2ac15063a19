package dev.httpleak.core;

import dev.httpleak.fixture.UserCode;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Naming sites for a sample of bodies (stacks=sampled) never changes a count. */
class SamplerTest {

    @Test
    void aBurstIsNamedInFull() {
        Sampler sampler = new Sampler(System.nanoTime());
        for (int i = 0; i < Sampler.BURST; i++) {
            assertTrue(sampler.sample(System.nanoTime()), "body " + i + " of a burst");
        }
    }

    @Test
    void pastABurstBodiesAreNamedAtTheRate() {
        Sampler sampler = new Sampler(System.nanoTime());
        long now = System.nanoTime();
        while (sampler.sample(now)) {
            // Use up the burst.
        }
        long seconds = 20;
        long named = 0;
        for (long t = 0; t < TimeUnit.SECONDS.toMillis(seconds); t++) { // a body every millisecond
            named += sampler.sample(now + TimeUnit.MILLISECONDS.toNanos(t)) ? 1 : 0;
        }
        assertTrue(Math.abs(named - Sampler.RATE * seconds) <= 1, named + " named in " + seconds + " s");
    }

    @Test
    void aClockThatStandsStillGetsOneBurstNamed() {
        long now = System.nanoTime(); // the registry's clock, which lags the system's between ticks
        Sampler sampler = new Sampler(now);
        long named = 0;
        for (int i = 0; i < 10 * Sampler.BURST; i++) {
            named += sampler.sample(now) ? 1 : 0;
        }
        assertEquals(Sampler.BURST, named);
    }

    @Test
    void aBoostNamesEveryBody() {
        Sampler sampler = new Sampler(System.nanoTime());
        while (sampler.sample(System.nanoTime())) {
            // Use up the burst.
        }
        sampler.boost(System.nanoTime());
        for (int i = 0; i < 10 * Sampler.BURST; i++) {
            assertTrue(sampler.sample(System.nanoTime()), "body " + i + " after a leak that was not named");
        }
    }

    @Test
    void countsStayExactWhenBodiesComeFasterThanSitesAreNamed() {
        Registry registry = new Registry(new SiteRules(Collections.emptyList()), Registry.StackMode.SAMPLED, true,
                60_000);
        int n = 5 * (int) Sampler.BURST;
        for (int i = 0; i < n; i++) {
            UserCode.open(registry, new Object());
        }
        for (int i = 0; i < 100 && registry.tally(Client.OKHTTP).leaked < n; i++) {
            registry.settle(200);
        }
        Tally t = registry.tally(Client.OKHTTP);
        assertEquals(n, t.opened);
        assertEquals(n, t.leaked);
        long named = 0;
        long all = 0;
        for (Site s : registry.leakSites()) {
            all += s.leaked();
            if (s.frame().equals(UserCode.lastFrame)) {
                named = s.leaked();
                assertNotNull(s.stack(), "a named site keeps a stack");
            } else {
                assertEquals(Origin.UNSAMPLED, s.frame());
            }
        }
        assertEquals(n, all, "every leak counts under its site or under " + Origin.UNSAMPLED);
        assertTrue(named >= Sampler.BURST, "the first burst is named: " + named);
    }
}
