package dev.httpleak.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;

/**
 * One tracked body: a phantom reference to the object the user holds, and what a report says about it.
 * It keeps no strong reference to the body, its connection, its client or a thread. It is open while it is in
 * the registry's map of open bodies: whoever takes it out (the hook that saw it end, or the reaper that found it
 * unreachable) counts it, so every body is counted exactly once. It is also its own key in that map: it
 * hashes by the body's identity and equals a {@link WeakKey.Lookup} of the body
 * ({@code Reference.refersTo}), so tracking a body allocates no second reference.
 */
public final class Body extends PhantomReference<Object> {

    /** {@code Reference.refersTo} (JDK 16 and later; the agent runs on 17 and later). */
    private static final MethodHandle REFERS_TO;

    static {
        try {
            REFERS_TO = MethodHandles.publicLookup().findVirtual(Reference.class, "refersTo",
                    MethodType.methodType(boolean.class, Object.class));
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
    /** The request URL or URI, or its base when {@link #path} is set: immutable values, joined only when shown. */
    private final Object target;
    private final Object path;
    final int status;
    final long openedNanos;
    final String thread;
    /** The identity hash of the object the body belongs to (an OkHttp call), for {@link Registry#endOwnedBy}; or 0. */
    final int owner;
    private final int hash;

    Body(Object referent, ReferenceQueue<Object> queue, Client client, Site site,
            Throwable stack, String method, Object target, int status, String thread, Object owner,
            long openedNanos) {
        super(referent, queue);
        this.owner = owner == null ? 0 : System.identityHashCode(owner);
        this.hash = System.identityHashCode(referent);
        this.client = client;
        this.site = site;
        this.stack = stack;
        this.method = method;
        // A Target is kept as its two parts: one object less per open body.
        this.target = target instanceof Target ? ((Target) target).base : target;
        this.path = target instanceof Target ? ((Target) target).path : null;
        this.status = status;
        this.thread = thread;
        this.openedNanos = openedNanos;
    }

    /** Whether this tracks that very object (false once the body is unreachable). */
    boolean tracks(Object object) {
        try {
            return (boolean) REFERS_TO.invokeExact((Reference<?>) this, object);
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Equal to itself, and to a lookup of its body; never to another body (one object is opened once). */
    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof WeakKey.Lookup && tracks(((WeakKey.Lookup) other).object);
    }

    /** The request's URL, to render (and redact) for a report. */
    Object url() {
        return path == null ? target : new Target(target, path);
    }

    /** The stack to show for this body: its own, else the one kept for its site. */
    StackTraceElement[] stack() {
        return stack != null ? Stacks.frames(stack) : site.stack;
    }

    long ageMillis(long nowNanos) {
        return (nowNanos - openedNanos) / 1_000_000L;
    }
}
