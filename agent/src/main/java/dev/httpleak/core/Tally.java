package dev.httpleak.core;

/** A client's (or all clients') counts at one moment. */
public final class Tally {
    public final long opened;
    public final long closed;
    public final long leaked;
    public final long open;
    public final long discarded;

    Tally(long opened, long closed, long leaked, long discarded) {
        this.opened = opened;
        this.closed = closed;
        this.leaked = leaked;
        this.open = Math.max(0, opened - closed - leaked);
        this.discarded = discarded;
    }

    Tally plus(Tally o) {
        return new Tally(opened + o.opened, closed + o.closed, leaked + o.leaked, discarded + o.discarded);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tally && opened == ((Tally) o).opened && closed == ((Tally) o).closed
                && leaked == ((Tally) o).leaked && discarded == ((Tally) o).discarded;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(opened) * 31 + Long.hashCode(closed) * 17 + Long.hashCode(leaked) * 7
                + Long.hashCode(discarded);
    }

    @Override
    public String toString() {
        return "opened " + opened + ", closed " + closed + ", leaked " + leaked + ", discarded " + discarded;
    }
}
