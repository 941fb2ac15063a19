package dev.httpleak.core;

/** A body that is open (not closed, still reachable) at the moment of a snapshot. Immutable. */
public final class OpenBody {
    public final Client client;
    public final String site;
    public final long ageMillis;
    public final boolean suspect;
    public final String request;
    public final String route;
    public final String thread;
    public final StackTraceElement[] stack;
    /** As {@link Leak#openedNanos}. */
    public final long openedNanos;

    OpenBody(Client client, String site, long ageMillis, boolean suspect, String request, String route,
            String thread, StackTraceElement[] stack, long openedNanos) {
        this.client = client;
        this.site = site;
        this.ageMillis = ageMillis;
        this.suspect = suspect;
        this.request = request;
        this.route = route;
        this.thread = thread;
        this.stack = stack;
        this.openedNanos = openedNanos;
    }
}
