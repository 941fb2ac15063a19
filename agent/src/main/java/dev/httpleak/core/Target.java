package dev.httpleak.core;

import java.lang.ref.WeakReference;

/**
 * A request target kept as the client holds it, a base ({@code scheme://host:port}) and a path, and joined into
 * one URL only when a report shows it: opening a body then costs no string building. Both parts are immutable
 * values of the client (an {@code HttpHost}, a {@code URI} or a string), never a connection or a body. A body
 * keeps the two parts, not this object.
 */
public final class Target {

    /** The route host seen last, so that the bodies of one route keep one host object between them. */
    private static volatile WeakReference<Object> lastHost = new WeakReference<>(null);

    final Object base;
    final Object path;

    public Target(Object base, Object path) {
        this.base = base;
        this.path = path;
    }

    /**
     * The target of a request to a route's host, with the host as an object equal to it that earlier bodies of the
     * route share when there is one: clients such as Apache's make a host object per request, and an open body
     * should not keep one of its own. The host must compare by value ({@code HttpHost} does, in 4.5 and 5.x).
     */
    public static Target onRoute(Object host, Object path) {
        Object last = lastHost.get();
        if (last != null && last.equals(host)) {
            return new Target(last, path);
        }
        lastHost = new WeakReference<>(host);
        return new Target(host, path);
    }

    /** {@code base + path}; the path alone when it is absolute already (a request sent through a proxy). */
    @Override
    public String toString() {
        String p = path == null ? "" : path.toString();
        int scheme = p.indexOf("://");
        if (scheme > 0 && scheme < p.indexOf('/') + 1) {
            return p;
        }
        return base + (p.startsWith("/") || p.isEmpty() ? "" : "/") + p;
    }
}
