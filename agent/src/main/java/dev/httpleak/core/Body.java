package dev.httpleak.core;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One tracked body: a phantom reference to the object the user holds, and what a report says about it.
 * It keeps no strong reference to the body, its connection, its client or a thread; its state moves once,
 * from open to closed or to leaked, so every body is counted exactly once.
 */
public final class Body extends PhantomReference<Object> {

    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final int LEAKED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Body.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Client client;
    /** Null until first needed when the site is named from {@link #stack} ({@code stacks=all}). */
    volatile Site site;
    /**
     * This body's own allocation stack ({@code stacks=all}): the {@link Throwable} taken when it opened, turned
     * into frames only when the body is reported; null when only its site's stack was kept.
     */
    final Throwable stack;
    final String method;
    /** The request URL or URI: an immutable value object, rendered (and redacted) only when reported. */
    final Object target;
    final int status;
    final long openedNanos;
    final String thread;
    final WeakKey key;
    private volatile int state;

    Body(Object referent, ReferenceQueue<Object> queue, WeakKey key, Client client, Site site,
            Throwable stack, String method, Object target, int status, String thread) {
        super(referent, queue);
        this.key = key;
        this.client = client;
        this.site = site;
        this.stack = stack;
        this.method = method;
        this.target = target;
        this.status = status;
        this.thread = thread;
        this.openedNanos = System.nanoTime();
    }

    boolean close() {
        return STATE.compareAndSet(this, OPEN, CLOSED);
    }

    boolean leak() {
        return STATE.compareAndSet(this, OPEN, LEAKED);
    }

    boolean isOpen() {
        return state == OPEN;
    }

    /** The stack to show for this body: its own, else the one kept for its site. */
    StackTraceElement[] stack() {
        return stack != null ? Stacks.frames(stack) : site.stack;
    }

    long ageMillis(long nowNanos) {
        return (nowNanos - openedNanos) / 1_000_000L;
    }
}
