package dev.httpleak.instrumentation;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

/**
 * Reads client internals for reports, and calls public methods of client objects by name. The agent's own classes
 * cannot link against the clients' classes (they live in the application's class loader, in whatever version it
 * ships; only advice inlined into them can, see {@link Agents#typedAdvice}), so they go through reflection; fields
 * and methods are looked up once per class, kept in a
 * {@link ClassValue} so that a class loader that goes away takes its entries with it. Only ever reads; every
 * failure is the caller's to skip.
 */
public final class Reflect {

    /** Per arity (0 and 1), so that a lookup by name builds no key: it runs for every body. */
    private static final ClassValue<ConcurrentHashMap<String, Method>> METHODS0 = methodCache();
    private static final ClassValue<ConcurrentHashMap<String, Method>> METHODS1 = methodCache();
    private static final ClassValue<ConcurrentHashMap<String, Object>> MEMBERS =
            new ClassValue<ConcurrentHashMap<String, Object>>() {
                @Override
                protected ConcurrentHashMap<String, Object> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };

    private Reflect() {
    }

    /** {@code target.name()}. */
    public static Object call(Object target, String name) throws ReflectiveOperationException {
        return method(target.getClass(), name, 0).invoke(target);
    }

    /** {@code target.name(argument)}: the public one-argument method of that name. */
    public static Object call(Object target, String name, Object argument) throws ReflectiveOperationException {
        return method(target.getClass(), name, 1).invoke(target, argument);
    }

    /** The value of the named field, declared by the object's class or a superclass; looked up once per class. */
    public static Object field(Object target, String name) throws ReflectiveOperationException {
        ConcurrentHashMap<String, Object> known = MEMBERS.get(target.getClass());
        Object f = known.get(name);
        if (f == null) {
            f = declaredField(target.getClass(), name);
            known.putIfAbsent(name, f);
        }
        return ((Field) f).get(target);
    }

    /** The value of a static field, or of an instance field declared on {@code type} or a superclass. */
    public static Object field(Class<?> type, Object target, String name) throws ReflectiveOperationException {
        return declaredField(type, name).get(target);
    }

    private static Field declaredField(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
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

    private static ClassValue<ConcurrentHashMap<String, Method>> methodCache() {
        return new ClassValue<ConcurrentHashMap<String, Method>>() {
            @Override
            protected ConcurrentHashMap<String, Method> computeValue(Class<?> type) {
                return new ConcurrentHashMap<>();
            }
        };
    }

    private static Method method(Class<?> type, String name, int arity) throws NoSuchMethodException {
        ConcurrentHashMap<String, Method> known = (arity == 0 ? METHODS0 : METHODS1).get(type);
        Method m = known.get(name);
        if (m != null) {
            return m;
        }
        for (Method candidate : type.getMethods()) {
            if (candidate.getName().equals(name) && candidate.getParameterCount() == arity) {
                try {
                    // Implementation classes are often package-private; their public methods still need this.
                    candidate.setAccessible(true);
                } catch (RuntimeException notOpen) {
                    // A named module that does not open the package: public API of public types still works.
                }
                known.putIfAbsent(name, candidate);
                return candidate;
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }

}
