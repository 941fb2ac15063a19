package dev.httpleak.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

/**
 * The bodies one platform thread opened lately and has not ended, held strongly in a few slots that only this
 * thread fills. Most bodies end on the thread that opened them within milliseconds; tracking those here costs a
 * few writes to memory no other thread writes, where the registry's map costs the body's identity hash, a shared
 * table, a shared size counter and a phantom reference (measured in place: two to four cache misses a request).
 *
 * <p>A slot is free (null), holds a body, or is {@link #CLAIMED} while the registry moves its body to the map.
 * Only the owner fills a free slot (its fields first, then the body, with release semantics); the owner that
 * ends a body and the registry that moves it compete for it by compare-and-set, so exactly one of them has it.
 * The registry moves a body to the map once it has been open a while ({@link Registry#PROMOTE_AFTER_NANOS}),
 * before any GC-driven count, report or settle, and when a thread ends a body that it did not open.
 *
 * <p>The counters count what opened and ended here; only the owner writes them, and they are read with opaque
 * semantics. Everything the owner writes lives in two arrays padded at both ends: after a GC has moved the lanes
 * of several threads next to each other, no two threads write the same cache line (unpadded, the slot's
 * compare-and-set took 1.2% of the CPU of apache-httpclient5 at 8 threads).
 */
final class Lane {

    /** Bodies a thread keeps here at once; a thread holding more opens the next in the map. */
    static final int SLOTS = 8;
    /** In a slot while the registry moves its body to the map: taken, not free. */
    static final Object CLAIMED = new Object();

    static final int OPENED = 0;
    static final int CLOSED = 1;
    static final int DISCARDED = 2;
    private static final int KINDS = 3;

    /** Array elements of padding: 128 bytes of references or longs, two cache lines. */
    private static final int PAD = 16;
    // Reference columns: the bodies first, so that a lookup reads one cache line.
    private static final int BODY = PAD;
    private static final int CLIENT = BODY + SLOTS;
    private static final int METHOD = CLIENT + SLOTS;
    private static final int TARGET = METHOD + SLOTS;
    private static final int ORIGIN = TARGET + SLOTS;
    private static final int OWNER = ORIGIN + SLOTS;
    private static final int LAST_ENDED = OWNER + SLOTS;
    // Long columns.
    private static final int OPENED_NANOS = PAD;
    private static final int STATUS = OPENED_NANOS + SLOTS;
    private static final int COUNTS = STATUS + SLOTS;

    private static final VarHandle REF = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle LONG = MethodHandles.arrayElementVarHandle(long[].class);

    private final Object[] refs = new Object[LAST_ENDED + 1 + PAD];
    private final long[] longs = new long[COUNTS + Client.values().length * KINDS + PAD];
    private final WeakReference<Thread> owner;
    /** The origin of this thread's bodies whose site was not named, kept while the thread keeps its name. */
    private Origin unsampled;

    Lane(Thread owner) {
        this.owner = new WeakReference<>(owner);
    }

    /**
     * The origin of a body of this thread whose site is not named (see {@link Sampler}): one per thread name, not
     * one per body, as it holds nothing else. Owner only.
     */
    Origin unsampled(String thread) {
        Origin o = unsampled;
        if (o == null || o.thread != thread) { // Thread.getName() returns the same string until a rename
            o = new Origin(Origin.UNSAMPLED, null, null, thread, null);
            unsampled = o;
        }
        return o;
    }

    /** Whether this thread is tracking that very body here. */
    boolean holds(Object body) {
        for (int i = 0; i < SLOTS; i++) {
            if (REF.getAcquire(refs, BODY + i) == body) {
                return true;
            }
        }
        return false;
    }

    /** Whether this body may be here: it is, or a slot is being moved to the map right now. */
    boolean mayHold(Object body) {
        for (int i = 0; i < SLOTS; i++) {
            Object b = REF.getAcquire(refs, BODY + i);
            if (b == body || b == CLAIMED) {
                return true;
            }
        }
        return false;
    }

    /** Puts a body in a free slot; false when every slot is taken. Owner only. */
    boolean open(Client client, Object body, String method, Object target, int status, Origin origin, Object owner,
            long now) {
        for (int i = 0; i < SLOTS; i++) {
            if (REF.getAcquire(refs, BODY + i) == null) {
                refs[CLIENT + i] = client;
                refs[METHOD + i] = method;
                refs[TARGET + i] = target;
                refs[ORIGIN + i] = origin;
                refs[OWNER + i] = owner;
                longs[OPENED_NANOS + i] = now;
                longs[STATUS + i] = status;
                REF.setRelease(refs, BODY + i, body);
                add(client, OPENED);
                return true;
            }
        }
        return false;
    }

    /**
     * Ends a body this thread opened here; false when it is not here (opened elsewhere, moved to the map, or
     * never tracked). Owner only.
     */
    boolean end(Object body, boolean discarded) {
        for (int i = 0; i < SLOTS; i++) {
            if (REF.getAcquire(refs, BODY + i) == body && REF.compareAndSet(refs, BODY + i, body, null)) {
                Client client = client(i);
                clear(i); // no site, stack, URL or call kept alive by a free slot
                ended(client, discarded);
                refs[LAST_ENDED] = body;
                return true;
            }
        }
        return false;
    }

    /** Counts a body that opened and ended at once, never held here. Owner only. */
    void passed(Client client, boolean discarded) {
        add(client, OPENED);
        ended(client, discarded);
    }

    private void ended(Client client, boolean discarded) {
        add(client, CLOSED);
        if (discarded) {
            add(client, DISCARDED);
        }
    }

    /** Whether this thread's last end was of this body (a second end of it). Owner only. */
    boolean endedLast(Object body) {
        return refs[LAST_ENDED] == body;
    }

    /** This thread ended a body that was not in its lane. Owner only. */
    void endedElsewhere(Object body) {
        refs[LAST_ENDED] = body;
    }

    /** The body in a slot, or null (free or claimed). */
    Object body(int slot) {
        Object b = REF.getAcquire(refs, BODY + slot);
        return b == CLAIMED ? null : b;
    }

    /** Takes a slot's body from its owner; its fields below stay put until {@link #release}. */
    boolean claim(int slot, Object body) {
        return REF.compareAndSet(refs, BODY + slot, body, CLAIMED);
    }

    /** Frees a claimed slot. */
    void release(int slot) {
        clear(slot);
        REF.setRelease(refs, BODY + slot, null);
    }

    private void clear(int slot) {
        refs[ORIGIN + slot] = null;
        refs[TARGET + slot] = null;
        refs[OWNER + slot] = null;
    }

    Client client(int slot) {
        return (Client) refs[CLIENT + slot];
    }

    String method(int slot) {
        return (String) refs[METHOD + slot];
    }

    Object target(int slot) {
        return refs[TARGET + slot];
    }

    Origin origin(int slot) {
        return (Origin) refs[ORIGIN + slot];
    }

    /** What a cancel ends the slot's body by (an OkHttp call), or null. */
    Object owner(int slot) {
        return refs[OWNER + slot];
    }

    int status(int slot) {
        return (int) longs[STATUS + slot];
    }

    /** When the slot's body opened (the registry's {@link Clock}); racy unless the slot is claimed. */
    long openedNanos(int slot) {
        return longs[OPENED_NANOS + slot];
    }

    long count(Client client, int kind) {
        return (long) LONG.getOpaque(longs, COUNTS + client.ordinal() * KINDS + kind);
    }

    private void add(Client client, int kind) {
        int i = COUNTS + client.ordinal() * KINDS + kind;
        LONG.setOpaque(longs, i, (long) LONG.getOpaque(longs, i) + 1);
    }

    /** Whether the thread is gone and no body is left here: the lane can be folded into the totals. */
    boolean retired() {
        Thread t = owner.get();
        if (t != null && t.isAlive()) {
            return false;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (REF.getAcquire(refs, BODY + i) != null) {
                return false;
            }
        }
        return true;
    }
}
