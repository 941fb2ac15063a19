package dev.httpleak.instrumentation.apache5;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls public no-argument (or one-argument) methods of Apache objects by name, and reads their fields. The agent cannot link against
 * Apache's classes (they live in the application's class loader, in whatever version it ships), so it reads
 * them reflectively; methods are looked up once per class. Kept in a {@link ClassValue} so that a class
 * loader that goes away takes its entries with it.
 */
final class Calls {

    private static final ClassValue<ConcurrentHashMap<String, Method>> METHODS =
            new ClassValue<ConcurrentHashMap<String, Method>>() {
                @Override
                protected ConcurrentHashMap<String, Method> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };
    private static final ClassValue<ConcurrentHashMap<String, Object>> MEMBERS =
            new ClassValue<ConcurrentHashMap<String, Object>>() {
                @Override
                protected ConcurrentHashMap<String, Object> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>();
                }
            };

    private Calls() {
    }

    /** {@code target.name()}. */
    static Object call(Object target, String name) throws ReflectiveOperationException {
        return method(target.getClass(), name, 0).invoke(target);
    }

    /** {@code target.name(argument)}: the public one-argument method of that name. */
    static Object call(Object target, String name, Object argument) throws ReflectiveOperationException {
        return method(target.getClass(), name, 1).invoke(target, argument);
    }

    /** The value of the named field, declared by the object's class or a superclass; looked up once per class. */
    static Object field(Object target, String name) throws ReflectiveOperationException {
        ConcurrentHashMap<String, Object> known = MEMBERS.get(target.getClass());
        Object f = known.get(name);
        if (f == null) {
            Field found = null;
            for (Class<?> c = target.getClass(); c != null && found == null; c = c.getSuperclass()) {
                try {
                    found = c.getDeclaredField(name);
                } catch (NoSuchFieldException next) {
                    // Look in the superclass.
                }
            }
            if (found == null) {
                throw new NoSuchFieldException(target.getClass().getName() + "." + name);
            }
            found.setAccessible(true);
            known.putIfAbsent(name, found);
            f = found;
        }
        return ((Field) f).get(target);
    }

    private static Method method(Class<?> type, String name, int arity) throws NoSuchMethodException {
        String key = name + '/' + arity;
        ConcurrentHashMap<String, Method> known = METHODS.get(type);
        Method m = known.get(key);
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
                known.putIfAbsent(key, candidate);
                return candidate;
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name);
    }

    /**
     * {@code scheme://host:port} of an {@code HttpRoute}'s target (the same form as {@code Urls.route}), with
     * the scheme's default port filled in: how bodies and pool rows of one route find each other.
     */
    static String route(Object httpRoute) throws ReflectiveOperationException {
        Object host = call(httpRoute, "getTargetHost");
        String scheme = String.valueOf(call(host, "getSchemeName")).toLowerCase(java.util.Locale.ROOT);
        int port = (Integer) call(host, "getPort");
        if (port < 0) {
            port = "https".equals(scheme) ? 443 : 80;
        }
        return scheme + "://" + call(host, "getHostName") + ":" + port;
    }
}
