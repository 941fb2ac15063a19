package dev.httpleak.instrumentation.apache4;

import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.core.Target;
import dev.httpleak.instrumentation.ApacheRoutes;
import dev.httpleak.instrumentation.Reflect;

import java.net.URI;

/** The core side of the 4.5 advice: opens bodies for responses that hold a connection, records pool waits. */
final class Apache4Bodies {

    private final Core core;

    Apache4Bodies(Core core) {
        this.core = core;
    }

    /**
     * {@code MainClientExec.execute} returned {@code response}; {@code read} is what the advice read of the
     * request and response ({@code {method, target host, URI, status}}). Tracks the response's
     * {@code ConnectionHolder} unless the client released the connection already (no entity, or not streamed).
     */
    Object opened(Object response, Object read) {
        try {
            Object holder = Reflect.field(response, "connHolder");
            if (holder == null || Boolean.TRUE.equals(Reflect.call(holder, "isReleased"))) {
                return response;
            }
            Object[] values = (Object[]) read;
            core.registry().track(Client.APACHE_HTTPCLIENT4, holder, (String) values[0], target(values[1], values[2]),
                    (Integer) values[3], null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            core.failed(e);
        }
        return response;
    }

    /**
     * The request's URL, joined only when shown: the executor sees a path relative to the route's target host
     * (an {@code HttpHost}, whose text is {@code scheme://host:port}).
     */
    private static Object target(Object host, Object uri) {
        if (uri instanceof URI && ((URI) uri).isAbsolute()) {
            return uri;
        }
        // The text of a URI the client built from a string is that string: no building here.
        return Target.onRoute(host, uri == null ? "" : uri.toString());
    }

    /** A lease is about to wait in this route's pool ({@code RouteSpecificPool}, under the pool's lock). */
    Object waiting(Object routePool, Object unused) {
        try {
            Object route = Reflect.call(routePool, "getRoute");
            int leased = (Integer) Reflect.call(routePool, "getLeasedCount");
            int pending = (Integer) Reflect.call(routePool, "getPendingCount") + 1; // this lease joins the queue
            Integer max = null;
            try {
                Object pool = Reflect.field(routePool, "this$0"); // the AbstractConnPool that made it
                max = (Integer) Reflect.call(pool, "getMaxPerRoute", route); // its lock is reentrant
            } catch (ReflectiveOperationException | RuntimeException noMax) {
                // Still worth recording without the cap.
            }
            core.pools().exhausted(Client.APACHE_HTTPCLIENT4, ApacheRoutes.route(route), leased, max, pending);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not an HttpClient pool (httpcore's pools serve other users too): nothing to say.
        }
        return routePool;
    }
}
