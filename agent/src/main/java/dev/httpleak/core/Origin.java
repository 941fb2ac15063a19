package dev.httpleak.core;

/**
 * Where a body comes from: its site (the blamed frame, as {@link StackTraceElement#toString()} writes it),
 * and its allocation stack when one was captured. Immutable; holds no reference to a body, connection,
 * client or thread.
 */
public final class Origin {

    /** The site of a body whose site was not named (see {@link Sampler}); its counts stay exact. */
    public static final String UNSAMPLED = "(not sampled)";

    /**
     * Null until first asked for when only {@link #raw} was taken ({@code stacks=all}). Not volatile: a volatile
     * write in the constructor is a full fence on every body, and a thread that races another here only names the
     * same site again (a {@code String} is safe to share through a race).
     */
    private String site;
    /** The allocation stack, or null when none was captured for this body (see {@code stacks=}). */
    final StackTraceElement[] stack;
    /** With {@code stacks=all}: the allocation stack as the JVM took it, turned into frames only when shown. */
    final Throwable raw;
    final String thread;
    /** The registry's record of the site, or null. */
    final Site resolved;
    /** Names the site from {@link #raw} when asked; null when the site was named already. */
    private final Stacks stacks;

    Origin(String site, StackTraceElement[] stack, Throwable raw, String thread, Site resolved) {
        this.site = site;
        this.stack = stack;
        this.raw = raw;
        this.thread = thread;
        this.resolved = resolved;
        this.stacks = null;
    }

    /** An origin whose site is named from its stack only when asked (a leak, a report). */
    Origin(Throwable raw, String thread, Stacks stacks) {
        this.stack = null;
        this.raw = raw;
        this.thread = thread;
        this.resolved = null;
        this.stacks = stacks;
    }

    public String site() {
        String s = site;
        if (s == null) {
            s = stacks.site(raw);
            site = s;
        }
        return s;
    }

    /** Whether the site is still to be named from the stack. */
    boolean lazy() {
        return site == null && stacks != null;
    }

    /** The allocation stack, or null when none was captured. */
    StackTraceElement[] stack() {
        return stack != null ? stack : raw != null ? Stacks.frames(raw) : null;
    }
}
