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

    public PoolRow(Client client, String pool, String route, int leased, int idle, Integer max, int pending) {
        this.client = client;
        this.pool = pool;
        this.route = route;
        this.leased = leased;
        this.idle = idle;
        this.max = max;
        this.pending = pending;
    }
}
