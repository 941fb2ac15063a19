package dev.httpleak.core;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * An identity key that does not keep its object alive, for {@link WeakIdentityMap}. {@link Lookup} finds an entry
 * by the object itself without allocating a reference, there and in the registry's map of open {@link Body}s.
 */
final class WeakKey extends WeakReference<Object> {

    private final int hash;

    WeakKey(Object referent) {
        super(referent);
        this.hash = System.identityHashCode(referent);
    }

    /** A key that is enqueued when its object dies, so that its map can drop the entry then. */
    WeakKey(Object referent, ReferenceQueue<Object> queue) {
        super(referent, queue);
        this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        Object mine = get();
        if (mine == null) {
            return false;
        }
        if (other instanceof WeakKey) {
            return mine == ((WeakKey) other).get();
        }
        return other instanceof Lookup && mine == ((Lookup) other).object;
    }

    /** A short-lived key holding the object strongly, used only to look an entry up (a weak key or a body). */
    static final class Lookup {
        final Object object;

        Lookup(Object object) {
            this.object = object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WeakKey ? ((WeakKey) other).get() == object
                    : other instanceof Body && ((Body) other).tracks(object);
        }
    }
}
