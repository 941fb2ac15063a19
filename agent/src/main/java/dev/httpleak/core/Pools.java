package dev.httpleak.core;

import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pool occupancy (read from each client's pools on demand) and the record of pool exhaustions. */
public final class Pools {

    /**
     * Reads the routes of the pools of one client: the live objects registered for it (see
     * {@link #register}), or static state. It may fail; a failure costs only its rows.
     */
    public interface Probe {
        void collect(List<Object> registered, List<PoolRow> out) throws Exception;
    }

    /** Called for every recorded exhaustion. */
    public interface ExhaustionListener {
        void exhausted(Exhaustion exhaustion);
    }

    static final int MAX_EXHAUSTIONS = 1_000;
    private static final long MIN_GAP_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Registry registry;
    private final Map<Client, Probe> probes = new ConcurrentHashMap<>();
    private final Map<Client, WeakIdentityMap<Boolean>> registered = new ConcurrentHashMap<>();
    /** Per client, the pool registered last (racy writes are harmless: a miss only looks in the map). */
    private final WeakReference<?>[] lastRegistered = new WeakReference<?>[Client.values().length];
    /** Pools (or clients) remembered per client id at most. */
    static final int MAX_POOLS = 10_000;
    private final List<ExhaustionListener> listeners = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<Exhaustion> exhaustions = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final ConcurrentHashMap<String, Long> lastByRoute = new ConcurrentHashMap<>();

    public Pools(Registry registry) {
        this.registry = registry;
    }

    public void addProbe(Client client, Probe probe) {
        probes.put(client, probe);
    }

    /** Remembers a pool (or a client owning one) without keeping it alive; cheap when it is known already. */
    public void register(Client client, Object pool) {
        WeakReference<?> seen = lastRegistered[client.ordinal()];
        if (seen != null && seen.get() == pool) {
            return; // the usual case: hooks call this on every request, mostly with the same pool
        }
        WeakIdentityMap<Boolean> pools = registered.computeIfAbsent(client, c -> new WeakIdentityMap<>(MAX_POOLS));
        if (!pools.containsKey(pool)) {
            pools.putIfAbsent(pool, Boolean.TRUE);
        }
        lastRegistered[client.ordinal()] = new WeakReference<>(pool);
    }

    public void addListener(ExhaustionListener listener) {
        listeners.add(listener);
    }

    /** Every route of every known pool now. */
    public List<PoolRow> rows() {
        List<PoolRow> rows = new ArrayList<>();
        for (Map.Entry<Client, Probe> p : probes.entrySet()) {
            WeakIdentityMap<Boolean> pools = registered.get(p.getKey());
            try {
                p.getValue().collect(pools == null ? new ArrayList<>() : pools.keys(), rows);
            } catch (Exception | LinkageError e) {
                // A pool we cannot read is left out; the rest of the report stands.
            }
        }
        return rows;
    }

    /**
     * Records that requests for a route are waiting for a connection; at most one entry a second per route.
     * Returns the entry, or null when one was recorded for this route less than a second ago.
     */
    public Exhaustion exhausted(Client client, String route, int leased, Integer max, int pending) {
        return exhausted(client, route, leased, max, pending, (List<Exhaustion.Holder>) null);
    }

    /**
     * As {@link #exhausted(Client, String, int, Integer, int)}, with the holders named by the caller (for a
     * client whose limit is on calls in flight rather than on open bodies, such as OkHttp's dispatcher); null
     * means the sites of the open bodies of the route.
     */
    public Exhaustion exhausted(Client client, String route, int leased, Integer max, int pending,
            List<Exhaustion.Holder> named) {
        long now = System.nanoTime();
        String key = client.id() + '|' + route;
        Long last = lastByRoute.get(key);
        if (last != null && now - last < MIN_GAP_NANOS) {
            return null;
        }
        boolean first = last == null ? lastByRoute.putIfAbsent(key, now) == null : lastByRoute.replace(key, last, now);
        if (!first) {
            return null; // another thread recorded this wait
        }
        Exhaustion e = new Exhaustion(client, route, Instant.now(), leased, max, pending,
                named != null ? named : holders(client, route));
        exhaustions.addLast(e);
        if (size.incrementAndGet() > MAX_EXHAUSTIONS && exhaustions.pollFirst() != null) {
            size.decrementAndGet();
        }
        for (ExhaustionListener l : listeners) {
            try {
                l.exhausted(e);
            } catch (RuntimeException ignored) {
                // A failing reporter must not hide the exhaustion from the others.
            }
        }
        return e;
    }

    public List<Exhaustion> exhaustions() {
        return new ArrayList<>(exhaustions);
    }

    /** The sites of the open bodies of this client and route, most bodies first. */
    public List<Exhaustion.Holder> holders(Client client, String route) {
        Map<String, List<OpenBody>> bySite = new LinkedHashMap<>();
        for (OpenBody b : registry.openBodies()) {
            if (b.client == client && (route == null || route.equals(b.route))) {
                bySite.computeIfAbsent(b.site, s -> new ArrayList<>()).add(b);
            }
        }
        List<Exhaustion.Holder> holders = new ArrayList<>();
        for (Map.Entry<String, List<OpenBody>> e : bySite.entrySet()) {
            OpenBody oldest = e.getValue().get(0);
            holders.add(new Exhaustion.Holder(e.getKey(), e.getValue().size(), oldest.ageMillis, oldest.stack));
        }
        holders.sort(Comparator.comparingInt((Exhaustion.Holder h) -> h.count).reversed());
        return holders;
    }
}
