package dev.httpleak.core;

import java.util.concurrent.atomic.LongAdder;

/** Everything known about one (client, site) pair: how often it leaked, one stack, one example request. */
public final class Site {

    final Client client;
    final String frame;
    /** The first allocation stack captured at this site; one per site however many bodies come from it. */
    volatile StackTraceElement[] stack;
    final LongAdder leaked = new LongAdder();
    volatile String example;
    volatile int status = -1;

    Site(Client client, String frame) {
        this.client = client;
        this.frame = frame;
    }

    public Client client() {
        return client;
    }

    /** The blamed frame, as {@link StackTraceElement#toString()} writes it. */
    public String frame() {
        return frame;
    }

    public long leaked() {
        return leaked.sum();
    }

    public String example() {
        return example;
    }

    public int status() {
        return status;
    }

    public StackTraceElement[] stack() {
        return stack;
    }
}
