package dev.httpleak.instrumentation;

import java.util.Locale;

/** Routes of Apache HttpClient 4.5 and 5.x, whose {@code HttpRoute}/{@code HttpHost} API is the same. */
public final class ApacheRoutes {

    private ApacheRoutes() {
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
