package dev.httpleak.core;

import dev.httpleak.fixture.UserCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bodies tracked in their thread's lane ({@link Registry#track}): counted exactly as those in the map. */
class LaneTest {

    private final Registry registry = new Registry(new SiteRules(Collections.emptyList()), Registry.StackMode.SAMPLED,
            true, 60_000);
    private final List<Leak> leaks = new ArrayList<>();

    LaneTest() {
        registry.addListener(leaks::add);
    }

    private Tally tally() {
        return registry.tally(Client.URLCONNECTION);
    }

    @Test
    void aBodyEndedTwiceOnItsThreadCountsOnce() {
        Object body = UserCode.track(registry, new Object());
        UserCode.track(registry, body);
        registry.ended(body, false);
        registry.ended(body, true);
        assertEquals(new Tally(1, 1, 0, 0), tally());
        registry.settle(200);
        assertEquals(new Tally(1, 1, 0, 0), tally());
        assertEquals(0, leaks.size());
    }

    @Test
    void aBodyWhoseSiteWasNotNamedKeepsTheNameItsThreadHadThen() {
        for (int i = 0; i < Sampler.BURST + 10; i++) { // past the burst: the next bodies are not named
            registry.ended(UserCode.track(registry, new Object()), false);
        }
        Thread t = Thread.currentThread();
        String name = t.getName();
        try {
            t.setName("before-rename");
            UserCode.track(registry, new Object());
            UserCode.track(registry, new Object());
            t.setName("after-rename");
            UserCode.track(registry, new Object());
        } finally {
            t.setName(name);
        }
        registry.settle(200);
        assertEquals(3, leaks.size(), leaks::toString);
        List<String> threads = new ArrayList<>();
        for (Leak leak : leaks) {
            assertEquals(Origin.UNSAMPLED, leak.site);
            threads.add(leak.thread);
        }
        Collections.sort(threads);
        assertEquals(List.of("after-rename", "before-rename", "before-rename"), threads);
    }

    @Test
    void aBodyLeakedFromALaneIsFoundWithItsSite() {
        for (int i = 0; i < 3; i++) {
            UserCode.track(registry, new Object());
        }
        registry.ended(UserCode.track(registry, new Object()), true);
        awaitLeaks(3);
        assertEquals(new Tally(4, 1, 3, 1), tally());
        assertEquals(UserCode.lastFrame, registry.leakSites().get(0).frame());
        assertEquals("GET http://h:82/b", leaks.get(0).request);
    }

    @Test
    void moreBodiesThanSlotsAreAllTracked() {
        List<Object> kept = new ArrayList<>();
        for (int i = 0; i < Lane.SLOTS * 2; i++) {
            kept.add(UserCode.track(registry, new Object()));
        }
        assertEquals(Lane.SLOTS * 2, registry.openBodies().size());
        for (Object b : kept) {
            registry.ended(b, false);
        }
        assertEquals(new Tally(Lane.SLOTS * 2, Lane.SLOTS * 2, 0, 0), tally());
        assertEquals(0, registry.openBodies().size());
    }

    @Test
    void aBodyEndedOnAnotherThreadIsMatchedToItsLane() throws InterruptedException {
        Object body = UserCode.track(registry, new Object());
        Thread other = new Thread(() -> {
            registry.ended(body, true);
            registry.ended(body, true);
        });
        other.start();
        other.join();
        assertEquals(new Tally(1, 1, 0, 1), tally(), "the missed end is matched before counting");
        registry.settle(200);
        assertEquals(0, leaks.size());
    }

    @Test
    void aBodyMovedToTheMapEndsThereAndLeaksFromThere() throws InterruptedException {
        Object kept = UserCode.track(registry, new Object());
        UserCode.track(registry, new Object());
        LockSupport.parkNanos(Registry.PROMOTE_AFTER_NANOS * 3); // its opening time is up to one interval early
        registry.move(false);
        assertEquals(2, tally().open);
        registry.ended(kept, false);
        awaitLeaks(1);
        assertEquals(new Tally(2, 1, 1, 0), tally());
    }

    @Test
    void theCountsOfAThreadThatIsGoneStay() throws InterruptedException {
        Thread t = new Thread(() -> {
            for (int i = 0; i < 3; i++) {
                registry.ended(UserCode.track(registry, new Object()), false);
            }
        });
        t.start();
        t.join();
        registry.move(false); // folds the lane of the thread that is gone
        registry.move(false);
        assertEquals(new Tally(3, 3, 0, 0), tally());
    }

    @Test
    void aMarkTellsTheBodiesOpenedBeforeItFromThoseOpenedAfter() {
        Object before = UserCode.track(registry, new Object());
        long mark = registry.mark();
        Object after = UserCode.track(registry, new Object());
        List<OpenBody> open = registry.openBodies(); // oldest first
        assertEquals(2, open.size());
        assertTrue(open.get(0).openedNanos - mark < 0, "opened before the mark");
        assertTrue(open.get(1).openedNanos - mark >= 0, "opened after the mark");
        assertTrue(before != after); // both stay reachable, open
    }

    @Test
    void anEndBeforeAnOpenDoesNotEndIt() throws InterruptedException {
        Object body = new Object();
        Thread other = new Thread(() -> registry.ended(body, false)); // never tracked yet: a miss
        other.start();
        other.join();
        UserCode.track(registry, body);
        registry.move(false);
        assertEquals(1, tally().open);
        assertTrue(body != null);
    }

    @Test
    void aCancelEndsItsOwnersBodiesInTheLaneOnly() throws InterruptedException {
        Object call = new Object();
        Object other = new Object();
        List<Object> kept = new ArrayList<>(); // reachable, so that only the cancel can end them
        for (int i = 0; i < 3; i++) {
            kept.add(trackOwned(call));
        }
        kept.add(trackOwned(other));
        Thread canceller = new Thread(() -> registry.endOwnedBy(Client.OKHTTP, call, true));
        canceller.start(); // a cancel comes from another thread than the one reading
        canceller.join();
        assertEquals(new Tally(4, 3, 0, 3), registry.tally(Client.OKHTTP));
        for (Object b : kept) {
            registry.ended(b, false); // the reading thread ends them too: only the other call's body counts
        }
        assertEquals(new Tally(4, 4, 0, 3), registry.tally(Client.OKHTTP));
        registry.settle(200);
        assertEquals(0, leaks.size());
    }

    private Object trackOwned(Object owner) {
        Object body = new Object();
        registry.track(Client.OKHTTP, body, "GET", "http://h/", 200, null, owner);
        return body;
    }

    private void awaitLeaks(int n) {
        for (int i = 0; i < 50 && tally().leaked < n; i++) {
            registry.settle(200);
        }
    }
}
