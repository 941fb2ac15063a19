package dev.httpleak.core;

/**
 * Where a body comes from: its site (the blamed frame, as {@link StackTraceElement#toString()} writes it),
 * and its allocation stack when one was captured. Immutable; holds no reference to a body, connection,
 * client or thread.
 */
public final class Origin {

    final String site;
    /** The allocation stack, or null when none was captured for this body (see {@code stacks=}). */
    final StackTraceElement[] stack;
    final String thread;

    Origin(String site, StackTraceElement[] stack, String thread) {
        this.site = site;
        this.stack = stack;
        this.thread = thread;
    }

    public String site() {
        return site;
    }
}
