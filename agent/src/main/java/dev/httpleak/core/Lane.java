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
 * <p>The counters count what ended here and what opened here; only the owner writes them, and they are read
 * with opaque semantics.
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

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    private final Object[] bodies = new Object[SLOTS];
    final Client[] clients = new Client[SLOTS];
    final String[] methods = new String[SLOTS];
    final Object[] targets = new Object[SLOTS];
    final int[] statuses = new int[SLOTS];
    final Origin[] origins = new Origin[SLOTS];
    final long[] openedNanos = new long[SLOTS];
    private final long[] counts = new long[Client.values().length * KINDS];
    private final WeakReference<Thread> owner;
    /**
     * The body this thread ended last: ended again (read to its end, then closed) it is no miss. Holding an ended
     * body a little longer keeps nothing the client still needs.
     */
    private Object lastEnded;

    Lane(Thread owner) {
        this.owner = new WeakReference<>(owner);
    }

    /** Whether this thread is tracking that very body here. */
    boolean holds(Object body) {
        for (int i = 0; i < SLOTS; i++) {
            if (SLOT.getAcquire(bodies, i) == body) {
                return true;
            }
        }
        return false;
    }

    /** Puts a body in a free slot; false when every slot is taken. Owner only. */
    boolean open(Client client, Object body, String method, Object target, int status, Origin origin, long now) {
        for (int i = 0; i < SLOTS; i++) {
            if (SLOT.getAcquire(bodies, i) == null) {
                clients[i] = client;
                methods[i] = method;
                targets[i] = target;
                statuses[i] = status;
                origins[i] = origin;
                openedNanos[i] = now;
                SLOT.setRelease(bodies, i, body);
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
            if (SLOT.getAcquire(bodies, i) == body && SLOT.compareAndSet(bodies, i, body, null)) {
                Client client = clients[i];
                origins[i] = null; // no site or stack kept alive by a free slot
                targets[i] = null;
                add(client, CLOSED);
                if (discarded) {
                    add(client, DISCARDED);
                }
                lastEnded = body;
                return true;
            }
        }
        return false;
    }

    /** Whether this thread's last end was of this body (a second end of it). Owner only. */
    boolean endedLast(Object body) {
        return lastEnded == body;
    }

    void endedElsewhere(Object body) {
        lastEnded = body;
    }

    /** The body in a slot, or null (free or claimed). */
    Object body(int slot) {
        Object b = SLOT.getAcquire(bodies, slot);
        return b == CLAIMED ? null : b;
    }

    /** Takes a slot's body from its owner; its fields stay put until {@link #release}. */
    boolean claim(int slot, Object body) {
        return SLOT.compareAndSet(bodies, slot, body, CLAIMED);
    }

    /** Frees a claimed slot. */
    void release(int slot) {
        origins[slot] = null;
        targets[slot] = null;
        SLOT.setRelease(bodies, slot, null);
    }

    long count(Client client, int kind) {
        return (long) COUNT.getOpaque(counts, client.ordinal() * KINDS + kind);
    }

    private void add(Client client, int kind) {
        int i = client.ordinal() * KINDS + kind;
        COUNT.setOpaque(counts, i, (long) COUNT.getOpaque(counts, i) + 1);
    }

    /** Whether the thread is gone and no body is left here: the lane can be folded into the totals. */
    boolean retired() {
        Thread t = owner.get();
        if (t != null && t.isAlive()) {
            return false;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (SLOT.getAcquire(bodies, i) != null) {
                return false;
            }
        }
        return true;
    }
}
