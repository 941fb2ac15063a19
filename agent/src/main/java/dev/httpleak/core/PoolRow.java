package dev.httpleak.core;

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
}
