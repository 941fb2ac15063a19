package dev.httpleak.core;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

/** Requests for a route had to wait because every permitted connection was held. Immutable. */
public final class Exhaustion {

    /** The code holding connections of the exhausted route: a site, how many bodies, the oldest's age. */
    public static final class Holder {
        public final String site;
        public final int count;
        public final long oldestMillis;
        public final StackTraceElement[] stack;

        Holder(String site, int count, long oldestMillis, StackTraceElement[] stack) {
            this.site = site;
            this.count = count;
            this.oldestMillis = oldestMillis;
            this.stack = stack;
        }

        /** A holder named by where its requests were issued (see {@link Pools#exhausted(Client, String, int, Integer, int, List)}). */
        public static Holder of(Origin origin, int count, long oldestMillis) {
            return new Holder(origin.site(), count, oldestMillis, origin.stack());
        }
    }

    public final Client client;
    public final String route;
    public final Instant at;
    public final int leased;
    public final Integer max;
    public final int pending;
    public final List<Holder> holders;

    Exhaustion(Client client, String route, Instant at, int leased, Integer max, int pending, List<Holder> holders) {
        this.client = client;
        this.route = route;
        this.at = at;
        this.leased = leased;
        this.max = max;
        this.pending = pending;
        this.holders = Collections.unmodifiableList(holders);
    }
}
