package dev.httpleak.core;

import dev.httpleak.bootstrap.Sink;

import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running agent: the registry, the pools, and the {@link Sink} that the boot-path hooks call. One per
 * JVM; {@link #current()} is how the JUnit support, the MBean and the CLI reach it.
 */
public final class Core implements Sink {

    /** Replaces an object a client hands out with a tracking one (see {@link Sink#wrap}). */
    public interface Wrapper {
        Object wrap(Object value, Object owner);
    }

    private static final int MAX_FAILURES_SHOWN = 5;
    private static volatile Core current;

    private final Registry registry;
    private final Pools pools;
    private final Instant since = Instant.now();
    private final String version;
    /**
     * The wrappers by point, copied on write (a few per client, added at set-up). The advice passes its point as a
     * string literal, the very (interned) string a client support registered: found by identity, no hashing.
     */
    private volatile Point[] points = new Point[0];
    private final AtomicInteger failures = new AtomicInteger();

    public Core(Registry registry, String version) {
        this.registry = registry;
        this.pools = new Pools(registry);
        this.version = version;
    }

    /** The running agent, or null when none was installed in this JVM. */
    public static Core current() {
        return current;
    }

    public static void setCurrent(Core core) {
        current = core;
    }

    public Registry registry() {
        return registry;
    }

    public Pools pools() {
        return pools;
    }

    /** When the agent started counting: bodies opened before it (say, before an attach) are not counted. */
    public Instant since() {
        return since;
    }

    public String version() {
        return version;
    }

    /** Sets the wrapper of a point (replacing the one it had). */
    public synchronized void addWrapper(String point, Wrapper wrapper) {
        Point[] now = points.clone();
        for (int i = 0; i < now.length; i++) {
            if (now[i].name.equals(point)) {
                now[i] = new Point(point, wrapper);
                points = now;
                return;
            }
        }
        now = Arrays.copyOf(now, now.length + 1);
        now[now.length - 1] = new Point(point, wrapper);
        points = now;
    }

    /** The number of times the agent failed inside a hook (each failure left the client call untouched). */
    public int failures() {
        return failures.get();
    }

    @Override
    public Object origin(String client) {
        return registry.origin(Client.byId(client));
    }

    @Override
    public void opened(String client, Object body, String method, Object target, int status, Object origin) {
        registry.track(Client.byId(client), body, method, target, status, (Origin) origin);
    }

    @Override
    public void openedOnRoute(String client, Object body, String method, Object host, Object path, int status) {
        registry.track(Client.byId(client), body, method, Target.onRoute(host, path), status, null);
    }

    @Override
    public void ended(Object body, boolean discarded) {
        registry.ended(body, discarded);
    }

    @Override
    public Object wrap(String point, Object value, Object owner) {
        Point[] all = points;
        for (Point p : all) {
            if (p.name == point) { // the same literal; equals would compare the bytes of every other point first
                return p.wrapper.wrap(value, owner);
            }
        }
        for (Point p : all) {
            if (p.name.equals(point)) { // an equal string that is not the literal
                return p.wrapper.wrap(value, owner);
            }
        }
        return value;
    }

    @Override
    public void pool(String client, Object pool) {
        pools.register(Client.byId(client), pool);
    }

    @Override
    public void failed(Throwable error) {
        int n = failures.incrementAndGet();
        if (n <= MAX_FAILURES_SHOWN) {
            System.err.println("[httpleak] internal error, the request goes on unaffected: " + error
                    + (n == MAX_FAILURES_SHOWN ? " (further errors are counted, not shown)" : ""));
        }
    }

    /** A point of the client code that hands an object to a {@link Wrapper}. */
    private static final class Point {
        final String name;
        final Wrapper wrapper;

        Point(String name, Wrapper wrapper) {
            this.name = name;
            this.wrapper = wrapper;
        }
    }
}
