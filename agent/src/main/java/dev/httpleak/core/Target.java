package dev.httpleak.core;

/**
 * A request target kept as the client holds it, a base ({@code scheme://host:port}) and a path, and joined into
 * one URL only when a report shows it: opening a body then costs no string building. Both parts are immutable
 * values of the client (an {@code HttpHost}, a {@code URI} or a string), never a connection or a body. A body
 * keeps the two parts, not this object.
 */
public final class Target {

    final Object base;
    final Object path;

    public Target(Object base, Object path) {
        this.base = base;
        this.path = path;
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
