package dev.httpleak.instrumentation;

import java.lang.ref.WeakReference;
import java.util.Locale;

/** Routes of Apache HttpClient 4.5 and 5.x, whose {@code HttpRoute}/{@code HttpHost} API is the same. */
public final class ApacheRoutes {

    /** The target host seen last, so that the bodies of one route keep one host object between them. */
    private static volatile WeakReference<Object> lastHost = new WeakReference<>(null);

    private ApacheRoutes() {
    }

    /**
     * The target {@code HttpHost} of a route, as an object equal to it that earlier bodies of the route share when
     * there is one: each request makes its own, and an open body should not keep one per body. {@code HttpHost}
     * compares by value in 4.5 and 5.x.
     */
    public static Object targetHost(Object httpRoute) throws ReflectiveOperationException {
        Object host = Reflect.call(httpRoute, "getTargetHost");
        Object last = lastHost.get();
        if (last != null && last.equals(host)) {
            return last;
        }
        lastHost = new WeakReference<>(host);
        return host;
    }

    /**
     * {@code scheme://host:port} of an {@code HttpRoute}'s target (the same form as {@code Urls.route}), with
     * the scheme's default port filled in: how bodies and pool rows of one route find each other.
     */
    public static String route(Object httpRoute) throws ReflectiveOperationException {
        Object host = Reflect.call(httpRoute, "getTargetHost");
        String scheme = String.valueOf(Reflect.call(host, "getSchemeName")).toLowerCase(Locale.ROOT);
        int port = (Integer) Reflect.call(host, "getPort");
        if (port < 0) {
            port = "https".equals(scheme) ? 443 : 80;
        }
        return scheme + "://" + Reflect.call(host, "getHostName") + ":" + port;
    }
}
