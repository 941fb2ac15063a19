package dev.httpleak.instrumentation.urlconnection;

import dev.httpleak.core.Client;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Registry;
import dev.httpleak.instrumentation.Reflect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JDK's one keep-alive cache for {@code HttpURLConnection} ({@code sun.net.www.http.HttpClient.kac}):
 * idle connections per destination. It has no in-use tracking and no cap on connections in use, so
 * {@code leased} is the number of open bodies for the route and {@code max} is absent.
 */
final class KeepAlivePools implements dev.httpleak.core.Pools.Probe {

    private final Registry registry;

    KeepAlivePools(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void collect(List<Object> registered, List<PoolRow> out) throws Exception {
        Map<String, Integer> idle = new TreeMap<>();
        Class<?> httpClient = Class.forName("sun.net.www.http.HttpClient", false, null);
        Object cache = Reflect.field(httpClient, null, "kac");
        List<Map.Entry<?, ?>> entries = Reflect.underLock(cache, "cacheLock",
                () -> new ArrayList<>(((Map<?, ?>) cache).entrySet()));
        for (Map.Entry<?, ?> e : entries) {
            Object key = e.getKey();
            String protocol = (String) Reflect.field(key, "protocol");
            int port = (Integer) Reflect.field(key, "port");
            if (port < 0) {
                port = "https".equals(protocol) ? 443 : 80;
            }
            String route = protocol + "://" + Reflect.field(key, "host") + ":" + port;
            idle.merge(route, ((Collection<?>) e.getValue()).size(), Integer::sum);
        }
        PoolRow.addUncapped(Client.URLCONNECTION, "KeepAliveCache", idle, registry.openByRoute(Client.URLCONNECTION), out);
    }
}
