package dev.httpleak.instrumentation.jdkhttpclient;

import dev.httpleak.core.Client;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Pools;
import dev.httpleak.core.Registry;
import dev.httpleak.instrumentation.Reflect;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The idle HTTP/1.1 connections of every {@code HttpClient} seen sending ({@code ConnectionPool.plainPool}
 * and {@code sslPool}), per destination. The client has no cap on connections in use and never makes a
 * request wait for one, so {@code leased} is the number of open bodies for the route (over all clients)
 * and {@code max} is absent.
 */
final class JdkHttpClientPools implements Pools.Probe {

    private final Registry registry;

    JdkHttpClientPools(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void collect(List<Object> clients, List<PoolRow> out) throws Exception {
        Map<String, Integer> idle = new TreeMap<>();
        for (Object client : clients) {
            Object pool = Reflect.field(client, "connections");
            for (String field : new String[] {"plainPool", "sslPool"}) {
                Map<?, ?> map = (Map<?, ?>) Reflect.field(pool, field);
                List<Map.Entry<?, ?>> entries = Reflect.underLock(pool, "stateLock", () -> new ArrayList<>(map.entrySet()));
                for (Map.Entry<?, ?> e : entries) {
                    InetSocketAddress destination = (InetSocketAddress) Reflect.field(e.getKey(), "destination");
                    boolean secure = (Boolean) Reflect.field(e.getKey(), "secure");
                    String route = (secure ? "https://" : "http://") + destination.getHostString() + ":"
                            + destination.getPort();
                    idle.merge(route, ((Collection<?>) e.getValue()).size(), Integer::sum);
                }
            }
        }
        PoolRow.addUncapped(Client.JDK_HTTPCLIENT, "HttpClient", idle, registry.openByRoute(Client.JDK_HTTPCLIENT), out);
    }
}
