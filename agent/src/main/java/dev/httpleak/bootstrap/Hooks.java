package dev.httpleak.bootstrap;

/**
 * The entry points that instrumented client code calls. This class must only ever be loaded by the boot
 * class loader (the agent appends it to the boot search path before anything refers to it), so that
 * advice inlined into {@code java.base} and {@code java.net.http} can call it. It uses JDK types only and
 * never lets an exception reach the client.
 */
public final class Hooks {

    private static volatile Sink sink;

    /** Per thread: the body whose close is running, and whether the client dropped its connection meanwhile. */
    private static final ThreadLocal<Closing> CLOSING = new ThreadLocal<>();

    private Hooks() {
    }

    /** Installs the core once; returns false when a core is installed already (a second agent, an attach). */
    public static synchronized boolean install(Sink core) {
        if (sink != null) {
            return false;
        }
        sink = core;
        return true;
    }

    public static boolean installed() {
        return sink != null;
    }

    public static Object origin(String client) {
        Sink s = sink;
        if (s == null) {
            return null;
        }
        try {
            return s.origin(client);
        } catch (Throwable t) {
            fail(s, t);
            return null;
        }
    }

    public static void opened(String client, Object body, String method, Object target, int status, Object origin) {
        Sink s = sink;
        if (s == null || body == null) {
            return;
        }
        try {
            s.opened(client, body, method, target, status, origin);
        } catch (Throwable t) {
            fail(s, t);
        }
    }

    public static void openedOnRoute(String client, Object body, String method, Object host, Object path, int status) {
        Sink s = sink;
        if (s == null || body == null) {
            return;
        }
        try {
            s.openedOnRoute(client, body, method, host, path, status);
        } catch (Throwable t) {
            fail(s, t);
        }
    }

    public static void ended(Object body, boolean discarded) {
        Sink s = sink;
        if (s == null || body == null) {
            return;
        }
        try {
            s.ended(body, discarded);
        } catch (Throwable t) {
            fail(s, t);
        }
    }

    public static Object wrap(String point, Object value, Object owner) {
        Sink s = sink;
        if (s == null || value == null) {
            return value;
        }
        try {
            return s.wrap(point, value, owner);
        } catch (Throwable t) {
            fail(s, t);
            return value;
        }
    }

    public static void pool(String client, Object pool) {
        Sink s = sink;
        if (s == null || pool == null) {
            return;
        }
        try {
            s.pool(client, pool);
        } catch (Throwable t) {
            fail(s, t);
        }
    }

    /**
     * A body's close (or the disconnect of its connection) starts on this thread; {@link #connectionDropped()}
     * before the matching {@link #closeFinished} marks the body discarded. Nested calls for the same body count
     * as one.
     */
    public static void closeStarted(Object body) {
        if (sink == null || body == null) {
            return;
        }
        Closing closing = CLOSING.get();
        if (closing == null) {
            closing = new Closing();
            CLOSING.set(closing); // kept for the thread's next close: no entry made and dropped per close
        }
        if (closing.body == null) {
            closing.body = body;
            closing.depth = 1;
            closing.dropped = false;
        } else if (closing.body == body) {
            closing.depth++;
        }
    }

    /** The client closed a connection instead of keeping it alive. */
    public static void connectionDropped() {
        Closing closing = CLOSING.get();
        if (closing != null && closing.body != null) {
            closing.dropped = true;
        }
    }

    /** The close that {@link #closeStarted} announced has returned (or thrown). */
    public static void closeFinished(Object body) {
        Closing closing = CLOSING.get();
        if (closing == null || closing.body != body || body == null || --closing.depth > 0) {
            return;
        }
        closing.body = null; // the thread must not keep the body alive
        ended(body, closing.dropped);
    }

    private static void fail(Sink s, Throwable t) {
        try {
            s.failed(t);
        } catch (Throwable ignored) {
            // Nothing may escape into the client.
        }
    }

    /** The close under way on one thread, if {@link #body} is set. */
    private static final class Closing {
        Object body;
        int depth;
        boolean dropped;
    }
}
