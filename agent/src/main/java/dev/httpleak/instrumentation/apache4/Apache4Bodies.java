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
     * {@code MainClientExec.execute} returned {@code response} for {@code (route, request)}: track its
     * {@code ConnectionHolder} unless the client released the connection already (no entity, or not streamed).
     */
    Object opened(Object response, Object routeAndRequest) {
        try {
            Object holder = Reflect.field(response, "connHolder");
            if (holder == null || Boolean.TRUE.equals(Reflect.call(holder, "isReleased"))) {
                return response;
            }
            Object[] args = (Object[]) routeAndRequest;
            Object request = args[1];
            String method = String.valueOf(Reflect.call(request, "getMethod"));
            Object statusLine = Reflect.call(response, "getStatusLine");
            int status = statusLine == null ? -1 : (Integer) Reflect.call(statusLine, "getStatusCode");
            core.registry().open(Client.APACHE_HTTPCLIENT4, holder, method, target(args[0], request), status, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            core.failed(e);
        }
        return response;
    }

    /**
     * The request's URL, joined only when shown: the executor sees a path relative to the route's target host
     * (an {@code HttpHost}, whose text is {@code scheme://host:port}).
     */
    private static Object target(Object route, Object request) throws ReflectiveOperationException {
        Object uri = Reflect.call(request, "getURI");
        if (uri instanceof URI && ((URI) uri).isAbsolute()) {
            return uri;
        }
        // The text of a URI the client built from a string is that string: no building here.
        return new Target(ApacheRoutes.targetHost(route), uri == null ? "" : uri.toString());
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
