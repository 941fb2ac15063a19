package dev.httpleak.core;

import dev.httpleak.fixture.UserCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry without an agent: bodies are plain objects here. */
class RegistryTest {

    private final Registry registry = new Registry(new SiteRules(Collections.emptyList()), Registry.StackMode.SAMPLED,
            true, 60_000);
    private final List<Leak> leaks = new ArrayList<>();

    RegistryTest() {
        registry.addListener(leaks::add);
    }

    private Object openOne(Object body) {
        return UserCode.open(registry, body);
    }

    @Test
    void closedBodiesCountOnceAndNeverLeak() {
        Object body = openOne(new Object());
        assertNull(registry.open(Client.OKHTTP, body, "GET", "http://h/", 200, null), "tracked once");
        registry.ended(body, false);
        registry.ended(body, true);
        Tally t = registry.tally(Client.OKHTTP);
        assertEquals(1, t.opened);
        assertEquals(1, t.closed);
        assertEquals(0, t.discarded);
        assertEquals(0, t.open);
    }

    @Test
    void unreachableOpenBodiesLeakExactlyOnceWithTheirSiteAndStack() {
        for (int i = 0; i < 5; i++) {
            openOne(new Object());
        }
        Object closed = openOne(new Object());
        registry.ended(closed, true);
        awaitLeaks(5);
        Tally t = registry.tally(Client.OKHTTP);
        assertEquals(6, t.opened);
        assertEquals(1, t.closed);
        assertEquals(1, t.discarded);
        assertEquals(5, t.leaked);
        assertEquals(0, t.open);
        Site site = registry.leakSites().get(0);
        assertEquals(UserCode.lastFrame, site.frame());
        assertEquals(5, site.leaked());
        assertEquals("GET http://h:81/a?token=*", site.example(), "redacted");
        assertNotNull(site.stack(), "sampled: the first body of a site has a stack");
        assertEquals(5, leaks.size());
        assertEquals(5, leaks.get(4).siteTotal);
    }

    @Test
    void reachableBodiesAreOpen() {
        Object kept = openOne(new Object());
        registry.settle(200);
        assertEquals(1, registry.tally(Client.OKHTTP).open);
        assertEquals(1, registry.openBodies().size());
        assertEquals("http://h:81", registry.openBodies().get(0).route);
        assertEquals(1, registry.openByRoute(Client.OKHTTP).get("http://h:81"));
        assertNotNull(kept);
    }

    @Test
    void identicalStacksAreStoredOnce() {
        Registry all = new Registry(new SiteRules(Collections.emptyList()), Registry.StackMode.ALL, true, 60_000);
        List<Object> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Object b = new Object();
            bodies.add(b);
            all.open(Client.URLCONNECTION, b, "GET", "http://h/", 200, null);
        }
        List<OpenBody> open = all.openBodies();
        assertTrue(open.get(0).stack == open.get(1).stack && open.get(1).stack == open.get(2).stack);
        assertEquals(3, bodies.size());
    }

    @Test
    void aBodyEndedWhileTheReaperFindsItUnreachableCountsOnce() throws InterruptedException {
        Object call = new Object();
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            registry.open(Client.OKHTTP, new Object(), "GET", "http://h/", 200, null, call);
        }
        System.gc(); // every body is unreachable now: the reaper and the cancel below race for each
        Thread cancel = new Thread(() -> registry.endOwnedBy(Client.OKHTTP, call, true));
        cancel.start();
        registry.settle(2_000);
        cancel.join();
        registry.settle(200);
        Tally t = registry.tally(Client.OKHTTP);
        assertEquals(n, t.opened);
        assertEquals(n, t.closed + t.leaked, "each body counted once, as closed or as leaked");
        assertEquals(t.closed, t.discarded);
        assertEquals(t.leaked, leaks.size());
        assertEquals(0, registry.openBodies().size());
    }

    private void awaitLeaks(int n) {
        for (int i = 0; i < 50 && registry.tally(Client.OKHTTP).leaked < n; i++) {
            registry.settle(200);
        }
    }
}
