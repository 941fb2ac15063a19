package dev.httpleak.report;

import javax.management.openmbean.CompositeData;

/** The counts of one client, as a row of the MBean's {@code Clients} attribute. Immutable. */
public final class ClientCounts {

    private final String client;
    private final long opened;
    private final long closed;
    private final long leaked;
    private final long open;
    private final long discarded;

    public ClientCounts(String client, long opened, long closed, long leaked, long open, long discarded) {
        this.client = client;
        this.opened = opened;
        this.closed = closed;
        this.leaked = leaked;
        this.open = open;
        this.discarded = discarded;
    }

    /** Lets a JMX proxy ({@code JMX.newMXBeanProxy}) rebuild a row from its open type. */
    public static ClientCounts from(CompositeData data) {
        return new ClientCounts((String) data.get("client"), (Long) data.get("opened"), (Long) data.get("closed"),
                (Long) data.get("leaked"), (Long) data.get("open"), (Long) data.get("discarded"));
    }

    public String getClient() {
        return client;
    }

    public long getOpened() {
        return opened;
    }

    public long getClosed() {
        return closed;
    }

    public long getLeaked() {
        return leaked;
    }

    public long getOpen() {
        return open;
    }

    public long getDiscarded() {
        return discarded;
    }

    @Override
    public String toString() {
        return client + ": opened=" + opened + " closed=" + closed + " leaked=" + leaked + " open=" + open
                + " discarded=" + discarded;
    }
}
