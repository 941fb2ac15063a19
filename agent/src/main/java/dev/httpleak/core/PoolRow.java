package dev.httpleak.core;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One route of one connection pool at one moment. {@code max} is null where the client sets no cap. */
public final class PoolRow {
    public final Client client;
    public final String pool;
    public final String route;
    public final int leased;
    public final int idle;
    public final Integer max;
    public final int pending;
    /** How many of this route's connections (leased and idle) are HTTP/2, or null where the probe cannot say. */
    public final Integer http2;

    public PoolRow(Client client, String pool, String route, int leased, int idle, Integer max, int pending) {
        this(client, pool, route, leased, idle, max, pending, null);
    }

    public PoolRow(Client client, String pool, String route, int leased, int idle, Integer max, int pending,
            Integer http2) {
        this.http2 = http2;
        this.client = client;
        this.pool = pool;
        this.route = route;
        this.leased = leased;
        this.idle = idle;
        this.max = max;
        this.pending = pending;
    }

    /**
     * Rows for a client that caps nothing and never makes a request wait (the JDK's clients): one per route that
     * has idle connections or open bodies, with {@code leased} the open bodies and {@code max} absent.
     */
    public static void addUncapped(Client client, String pool, Map<String, Integer> idle, Map<String, Integer> leased,
            List<PoolRow> out) {
        Map<String, Integer> routes = new TreeMap<>(leased);
        idle.keySet().forEach(r -> routes.putIfAbsent(r, 0));
        for (String route : routes.keySet()) {
            out.add(new PoolRow(client, pool, route, leased.getOrDefault(route, 0), idle.getOrDefault(route, 0), null, 0));
        }
    }
}
