package dev.httpleak.instrumentation.okhttp;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cached reflective reads of OkHttp objects. Caches are per class ({@link ClassValue}), so several OkHttp
 * copies in separate class loaders each get their own members and none is kept alive by the agent longer
 * than its loader. Only reads; every failure is the caller's to skip.
 */
final class Members {

    private static final Object MISSING = new Object();

    private static final ClassValue<ConcurrentHashMap<String, Object>> CACHE =
            new ClassValue<ConcurrentHashMap<String, Object>>() {
                @Override
                protected ConcurrentHashMap<String, Object> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };

    private Members() {
    }

    /** The named field of the object's class or a superclass. */
    static Object get(Object target, String field) throws ReflectiveOperationException {
        return field(target.getClass(), field).get(target);
    }

    /** The named field, or null when the class has none. */
    static Object getOrNull(Object target, String field) throws ReflectiveOperationException {
        Field f = find(target.getClass(), "f:" + field, field, true);
        return f == null ? null : f.get(target);
    }

    /** Calls a public no-argument method (such as {@code request()}, {@code code()}, {@code url()}). */
    static Object call(Object target, String method) throws ReflectiveOperationException {
        Class<?> type = target.getClass();
        Object m = CACHE.get(type).computeIfAbsent("m:" + method, k -> {
            try {
                Method found = type.getMethod(method);
                found.setAccessible(true);
                return found;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return MISSING;
            }
        });
        if (m == MISSING) {
            throw new NoSuchMethodException(type.getName() + "." + method + "()");
        }
        return ((Method) m).invoke(target);
    }

    static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = find(type, "f:" + name, name, true);
        if (f == null) {
            throw new NoSuchFieldException(type.getName() + "." + name);
        }
        return f;
    }

    private static Field find(Class<?> type, String key, String name, boolean superclasses) {
        Object f = CACHE.get(type).computeIfAbsent(key, k -> {
            for (Class<?> c = type; c != null; c = superclasses ? c.getSuperclass() : null) {
                try {
                    Field found = c.getDeclaredField(name);
                    found.setAccessible(true);
                    return found;
                } catch (NoSuchFieldException next) {
                    // Look in the superclass.
                } catch (RuntimeException e) {
                    return MISSING;
                }
            }
            return MISSING;
        });
        return f == MISSING ? null : (Field) f;
    }
}
