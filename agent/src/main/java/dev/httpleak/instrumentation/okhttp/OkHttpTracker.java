package dev.httpleak.instrumentation.okhttp;

import dev.httpleak.core.Client;
import dev.httpleak.core.Exhaustion;
import dev.httpleak.core.Origin;
import dev.httpleak.core.Pools;
import dev.httpleak.core.Registry;
import dev.httpleak.core.Urls;
import dev.httpleak.core.WeakIdentityMap;
import dev.httpleak.instrumentation.Reflect;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The core side of the OkHttp advice. It keeps where each call was issued: for a synchronous {@code execute()}
 * on the calling thread while the call runs there (its body opens on that thread), for an {@code enqueue()}
 * per call, weakly by identity. The body itself is tracked by the registry, with its call as the owner that a
 * cancel ends it by. Called with OkHttp objects of any class loader; it reads them reflectively and never alters
 * them.
 */
final class OkHttpTracker {

    /**
     * Calls remembered at most. Entries of unreachable calls are dropped when the map fills up, so this bounds
     * the memory (a few hundred bytes a call); past it, with that many calls alive at once, a new call is
     * blamed on the thread that opens its body instead.
     */
    static final int MAX_CALLS = 10_000;

    private final Registry registry;
    private final Pools pools;
    private final WeakIdentityMap<Issued> issued = new WeakIdentityMap<>(MAX_CALLS);
    /** The {@code ResponseBodySource} class of the OkHttp that opened a body last (one per class loader). */
    private volatile WeakReference<Class<?>> bodySource = new WeakReference<>(null);
    /** The innermost {@code execute()} running on this thread (an interceptor may execute another call). */
    private final ThreadLocal<Executing> executing = new ThreadLocal<>();

    OkHttpTracker(Registry registry, Pools pools) {
        this.registry = registry;
        this.pools = pools;
    }

    /** Where and when a call was issued ({@code execute()} or {@code enqueue()}), on the user's thread. */
    static final class Issued {
        final Origin origin;
        final long nanos;

        /** Takes the origin now: one clock read for both. */
        Issued(Registry registry) {
            this.nanos = registry.now();
            this.origin = registry.origin(Client.OKHTTP, nanos);
        }
    }

    /** A synchronous call running on this thread, inside the one that was running when it started. */
    private static final class Executing {
        final Object call;
        final Issued issued;
        final Executing outer;

        Executing(Object call, Issued issued, Executing outer) {
            this.call = call;
            this.issued = issued;
            this.outer = outer;
        }
    }

    /** {@code RealCall.enqueue()} starts: blame the caller, not interceptors or dispatcher threads. */
    Object callStarted(Object call, Object unused) {
        if (!issued.containsKey(call)) {
            issued.putIfAbsent(call, new Issued(registry));
        }
        return call;
    }

    /** {@code RealCall.execute()} starts on this thread: blame the caller, not interceptors. */
    Object executeStarted(Object call, Object unused) {
        executing.set(new Executing(call, new Issued(registry), executing.get()));
        return call;
    }

    /** {@code RealCall.execute()} returned or threw. */
    Object executeEnded(Object call, Object unused) {
        Executing e = executing.get();
        if (e != null && e.call == call) {
            executing.set(e.outer); // set, not remove: no thread-local entry made and dropped per call
        }
        return call;
    }

    /** Where the call was issued, or null when it was issued before the agent came. */
    private Issued issuedAt(Object call) {
        for (Executing e = executing.get(); e != null; e = e.outer) {
            if (e.call == call) {
                return e.issued;
            }
        }
        return issued.get(call);
    }

    /**
     * {@code Exchange.openResponseBody} returned {@code body}; {@code owner} is {call, method, url, status, empty,
     * the body's buffered source}. Tracks the {@code ResponseBodySource} inside that buffered source. An empty body
     * (HEAD, 204, {@code Content-Length: 0}) completed as it was made and holds no connection: it is only counted.
     */
    Object bodyOpened(Object body, Object owner) throws ReflectiveOperationException {
        Object[] values = (Object[]) owner;
        if ((Boolean) values[4]) {
            registry.passed(Client.OKHTTP, false);
            return body;
        }
        Object source = Reflect.field(values[5], "source");
        if (!isBodySource(source.getClass())) {
            return body; // not the shape this instrumentation knows; never guess
        }
        Object call = values[0];
        Issued from = call == null ? null : issuedAt(call);
        registry.track(Client.OKHTTP, source, (String) values[1], values[2], (Integer) values[3],
                from == null ? null : from.origin, call);
        return body;
    }

    /** Whether this is OkHttp's {@code Exchange$ResponseBodySource}; the class last found so is kept at hand. */
    private boolean isBodySource(Class<?> type) {
        if (bodySource.get() == type) {
            return true;
        }
        if (!type.getName().endsWith("$ResponseBodySource")) {
            return false;
        }
        bodySource = new WeakReference<>(type); // weakly: an application that drops its OkHttp drops the class
        return true;
    }

    /** A cancelled call's body counts as closed; its HTTP/1 connection is closed, so discarded. */
    Object callCancelled(Object call, Object unused) {
        registry.endOwnedBy(Client.OKHTTP, call, true);
        return call;
    }

    /**
     * After {@code Dispatcher.promoteAndExecute} left async calls in {@code readyAsyncCalls} (the advice calls only
     * then): they wait because {@code maxRequests} or {@code maxRequestsPerHost} is reached. Records one exhaustion per waiting route,
     * held by the sites that issued the running calls.
     */
    Object dispatcherPromoted(Object dispatcher) throws ReflectiveOperationException {
        Collection<?> ready = (Collection<?>) Reflect.field(dispatcher, "readyAsyncCalls");
        Object[] waiting;
        Object[] running;
        int maxRequests;
        int maxPerHost;
        synchronized (dispatcher) { // OkHttp guards these with the dispatcher's monitor, 3.14 through 5.x
            waiting = ready.toArray();
            running = ((Collection<?>) Reflect.field(dispatcher, "runningAsyncCalls")).toArray();
            maxRequests = ((Number) Reflect.field(dispatcher, "maxRequests")).intValue();
            maxPerHost = ((Number) Reflect.field(dispatcher, "maxRequestsPerHost")).intValue();
        }
        Map<String, Integer> pendingByRoute = new LinkedHashMap<>();
        for (Object asyncCall : waiting) {
            String route = route(asyncCall);
            if (route != null) {
                pendingByRoute.merge(route, 1, Integer::sum);
            }
        }
        boolean allBusy = running.length >= maxRequests;
        long now = System.nanoTime();
        for (Map.Entry<String, Integer> e : pendingByRoute.entrySet()) {
            String route = e.getKey();
            Map<String, List<Issued>> bySite = new LinkedHashMap<>();
            int onRoute = 0;
            for (Object asyncCall : running) {
                boolean sameHost = route.equals(route(asyncCall));
                onRoute += sameHost ? 1 : 0;
                if (sameHost || allBusy) {
                    Issued i = issued.get(Reflect.field(asyncCall, "this$0"));
                    if (i != null) {
                        bySite.computeIfAbsent(i.origin.site(), s -> new ArrayList<>()).add(i);
                    }
                }
            }
            if (!allBusy && onRoute < maxPerHost) {
                continue; // waiting for another reason (a host-level limit counted on another route form)
            }
            List<Exhaustion.Holder> holders = new ArrayList<>();
            for (List<Issued> calls : bySite.values()) {
                Issued oldest = calls.get(0);
                for (Issued i : calls) {
                    oldest = i.nanos < oldest.nanos ? i : oldest;
                }
                holders.add(Exhaustion.Holder.of(oldest.origin, calls.size(), (now - oldest.nanos) / 1_000_000));
            }
            holders.sort((a, b) -> Integer.compare(b.count, a.count));
            pools.exhausted(Client.OKHTTP, route, allBusy ? running.length : onRoute,
                    allBusy ? maxRequests : maxPerHost, e.getValue(), holders);
        }
        return dispatcher;
    }

    /** {@code scheme://host:port} of an {@code AsyncCall}'s request, the form open bodies are grouped by. */
    private static String route(Object asyncCall) throws ReflectiveOperationException {
        Object call = Reflect.field(asyncCall, "this$0");
        Object request = Reflect.field(call, "originalRequest");
        return Urls.route(String.valueOf(Reflect.call(request, "url")));
    }

    /** The named field, or null when this OkHttp version has none. */
    static Object fieldOrNull(Object target, String name) throws ReflectiveOperationException {
        try {
            return Reflect.field(target, name);
        } catch (NoSuchFieldException absent) {
            return null;
        }
    }
}
