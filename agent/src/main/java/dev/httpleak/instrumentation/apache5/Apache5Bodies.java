package dev.httpleak.instrumentation.apache5;

import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.core.Origin;
import dev.httpleak.core.Target;
import dev.httpleak.core.WeakIdentityMap;
import dev.httpleak.instrumentation.ApacheRoutes;
import dev.httpleak.instrumentation.Reflect;

/** The core side of the 5.x advice: opens async bodies, records pool waits (classic bodies open in the advice). */
final class Apache5Bodies {

    /** Async runtimes with the caller that created them; weak keys, bounded. */
    private static final int MAX_PENDING_ORIGINS = 100_000;

    private final Core core;
    private final WeakIdentityMap<Origin> origins = new WeakIdentityMap<>(MAX_PENDING_ORIGINS);

    Apache5Bodies(Core core) {
        this.core = core;
    }

    /** An async runtime was created on the thread that called {@code execute}: keep that caller for its body. */
    Object asyncCreated(Object runtime, Object unused) {
        origins.putIfAbsent(runtime, core.registry().origin(Client.APACHE_HTTPCLIENT5));
        return runtime;
    }

    /** An async exchange starts on its leased endpoint (an I/O or caller thread): its body opens. */
    Object asyncExchange(Object scope, Object request) {
        try {
            Object runtime = Reflect.field(scope, "execRuntime");
            if (runtime == null || !Boolean.TRUE.equals(Reflect.call(runtime, "isEndpointAcquired"))) {
                return scope;
            }
            Origin origin = origins.get(runtime); // kept for later hops (redirects) of the same exchange
            // In the map at once: an async exchange often ends on another thread than the one it started on.
            core.registry().open(Client.APACHE_HTTPCLIENT5, runtime, method(request), target(request, scope), -1,
                    origin);
        } catch (ReflectiveOperationException | RuntimeException e) {
            core.failed(e);
        }
        return scope;
    }

    /**
     * A lease of {@code route} by {@code pool} ({@code StrictConnPool}/{@code LaxConnPool}) returned a future that is
     * not done. That means it waits only if the pool has requests pending for the route: the pool completes a served
     * lease's future after unlocking, and under load another thread's release may be the one completing it, a moment
     * after the lease returned (about once a second in an 8-thread benchmark, each reported as an exhaustion with a
     * quarter of the pool leased before this check).
     */
    Object waiting(Object pool, Object route) {
        try {
            Object stats = Reflect.call(pool, "getStats", route);
            int pending = (Integer) Reflect.call(stats, "getPending");
            if (pending > 0) {
                core.pools().exhausted(Client.APACHE_HTTPCLIENT5, ApacheRoutes.route(route),
                        (Integer) Reflect.call(stats, "getLeased"), (Integer) Reflect.call(stats, "getMax"), pending);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not a client pool (httpcore's pools serve servers too): nothing to say.
        }
        return pool;
    }

    private static String method(Object request) throws ReflectiveOperationException {
        return String.valueOf(Reflect.call(request, "getMethod"));
    }

    /**
     * The request's URL, joined only when shown: the route's target host ({@code scheme://host:port}) and the
     * request's path as sent (absolute when sent through a proxy). Not {@code getUri()}, which parses a new URI.
     */
    private static Object target(Object request, Object scope) throws ReflectiveOperationException {
        Object host = Reflect.call(Reflect.field(scope, "route"), "getTargetHost");
        return Target.onRoute(host, Reflect.call(request, "getRequestUri"));
    }
}
