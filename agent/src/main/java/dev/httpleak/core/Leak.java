package dev.httpleak.core;

/** One leaked body, as listeners (log, JFR, tests) receive it. Immutable. */
public final class Leak {
    public final Client client;
    public final String site;
    public final String request;
    public final int status;
    public final String thread;
    /** The allocation stack, or null when none was captured. */
    public final StackTraceElement[] stack;
    /**
     * When the body was opened, by the registry's clock ({@link System#nanoTime()} up to a tenth of a second early):
     * compare with a {@link Registry#mark()}.
     */
    public final long openedNanos;
    /** How many leaks this site has had, this one included. */
    public final long siteTotal;

    Leak(Client client, String site, String request, int status, String thread, StackTraceElement[] stack,
            long openedNanos, long siteTotal) {
        this.client = client;
        this.site = site;
        this.request = request;
        this.status = status;
        this.thread = thread;
        this.stack = stack;
        this.openedNanos = openedNanos;
        this.siteTotal = siteTotal;
    }
}
