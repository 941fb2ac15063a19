package dev.httpleak.instrumentation;

import java.lang.reflect.Field;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Lock;

/** Reads client internals for pool reports. Only ever reads; every failure is the caller's to skip. */
public final class Reflect {

    private Reflect() {
    }

    /** The value of the named field, declared by the object's class or a superclass. */
    public static Object field(Object target, String name) throws ReflectiveOperationException {
        return field(target.getClass(), target, name);
    }

    /** The value of a static field, or of an instance field declared on {@code type} or a superclass. */
    public static Object field(Class<?> type, Object target, String name) throws ReflectiveOperationException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException next) {
                // Look in the superclass.
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /**
     * Runs {@code read} under the lock the client guards this state with: the {@link Lock} in field
     * {@code lockField} when there is one (newer JDKs), else the owner's monitor.
     */
    public static <T> T underLock(Object owner, String lockField, Callable<T> read) throws Exception {
        Object lock;
        try {
            lock = field(owner, lockField);
        } catch (NoSuchFieldException e) {
            lock = null;
        }
        if (lock instanceof Lock) {
            ((Lock) lock).lock();
            try {
                return read.call();
            } finally {
                ((Lock) lock).unlock();
            }
        }
        synchronized (owner) {
            return read.call();
        }
    }
}
