package dev.httpleak.instrumentation.apache5;

import dev.httpleak.core.Core;
import dev.httpleak.core.Exhaustion;
import dev.httpleak.core.Registry;
import dev.httpleak.core.SiteRules;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.pool.LaxConnPool;
import org.apache.hc.core5.pool.ManagedConnPool;
import org.apache.hc.core5.pool.StrictConnPool;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the lease advice hands over ({@link Apache5Bodies#waiting}), on httpcore's real pools: a lease whose future
 * is not done when it returns is a wait only when the pool has a request pending for the route.
 */
class Apache5BodiesTest {

    private final Core core = new Core(new Registry(new SiteRules(Collections.emptyList()),
            Registry.StackMode.SAMPLED, true, 60_000), "test");
    private final Apache5Bodies bodies = new Apache5Bodies(core);
    private final HttpRoute route = new HttpRoute(new HttpHost("http", "localhost", 8080));

    /**
     * Under load another thread's release can complete a served lease's future a moment after {@code lease}
     * returned, so the advice sees it not done: nothing waits, nothing is recorded.
     */
    @Test
    void aLeaseServedAtOnceIsNoWaitThoughItsFutureWasCompletedLate() {
        StrictConnPool<HttpRoute, ModalCloseable> pool = new StrictConnPool<>(8, 32);
        assertTrue(pool.lease(route, null).isDone());

        bodies.waiting(pool, route);

        assertEquals(List.of(), core.pools().exhaustions());
    }

    @Test
    void aLeaseQueuedBehindAFullRouteOfAStrictPoolIsAWait() {
        assertOneWait(new StrictConnPool<>(1, 1));
    }

    @Test
    void aLeaseQueuedBehindAFullRouteOfALaxPoolIsAWait() {
        assertOneWait(new LaxConnPool<>(1));
    }

    private void assertOneWait(ManagedConnPool<HttpRoute, ModalCloseable> pool) {
        assertTrue(pool.lease(route, null, Timeout.DISABLED, null).isDone());
        assertFalse(pool.lease(route, null, Timeout.DISABLED, null).isDone());

        bodies.waiting(pool, route);

        List<Exhaustion> seen = core.pools().exhaustions();
        assertEquals(1, seen.size());
        Exhaustion e = seen.get(0);
        assertEquals("http://localhost:8080", e.route);
        assertEquals(1, e.leased);
        assertEquals(1, e.max);
        assertEquals(1, e.pending);
    }
}
