package dev.httpleak.core;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The open bodies, their phantom references and the exact counters. No global lock: the map of open bodies
 * is a {@link ConcurrentHashMap} keyed by weak identity, counters are {@link java.util.concurrent.atomic.LongAdder}s.
 * A body is open while it is in that map; taking it out is what ends it, so of a hook that saw it end and the
 * reaper that found it unreachable, exactly one counts it.
 */
public final class Registry {

    /** Leaks kept for tests and on-demand reports; older ones are dropped (their counts stay). */
    static final int RECENT_LEAKS = 10_000;
    /**
     * Open bodies the map of them is sized for: its table then spans 128 cache lines (8 KB), so concurrent
     * requests rarely write the same line. Measured open, end, end on 2 threads of 2 cores: 450 ns with the default
     * size, 220 ns with this one (180 ns on one thread); 8192 did no better.
     */
    static final int OPEN_CAPACITY = 1024;
    /** Distinct sites kept; past this, new sites share one overflow entry per client so memory stays bounded. */
    static final int MAX_SITES = 5_000;

    /** Called for every leak, on the reaper thread. */
    public interface LeakListener {
        void leaked(Leak leak);
    }

    public enum StackMode { ALL, SAMPLED, OFF }

    /** How long the reference queue must stay empty before a settle counts as done. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    /**
     * Each open body, keyed by itself (see {@link Body#equals}). A service holds few bodies open at once, yet each
     * request puts one and removes it: in a map of the default size every core would write the same two cache lines
     * (see {@link #OPEN_CAPACITY}).
     */
    private final ConcurrentHashMap<Object, Body> open = new ConcurrentHashMap<>(OPEN_CAPACITY);
    private final Counts[] counts = new Counts[Client.values().length];
    private final ConcurrentHashMap<String, Site> sites = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<Leak> recent = new ConcurrentLinkedDeque<>();
    private final AtomicInteger recentSize = new AtomicInteger();
    /** Reaps under way: a body in one has left the open bodies and its leak is not listed yet. */
    private final AtomicInteger reaping = new AtomicInteger();
    private final List<LeakListener> listeners = new CopyOnWriteArrayList<>();
    private final Stacks stacks;
    private final StackMode stackMode;
    /** Per client: which bodies get their site named ({@code stacks=sampled} and {@code off}). */
    private final Sampler[] samplers = new Sampler[Client.values().length];
    /** Per client: the site of bodies whose site was not named, once used. */
    private final Site[] unsampled = new Site[Client.values().length];
    private final boolean redactUrls;
    private final long suspectAfterNanos;

    public Registry(SiteRules rules, StackMode stackMode, boolean redactUrls, long suspectAfterMillis) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new Counts();
            samplers[i] = new Sampler();
        }
        this.stacks = new Stacks(rules);
        this.stackMode = stackMode;
        this.redactUrls = redactUrls;
        this.suspectAfterNanos = TimeUnit.MILLISECONDS.toNanos(suspectAfterMillis);
    }

    public void addListener(LeakListener listener) {
        listeners.add(listener);
    }

    /**
     * Where a request of this client is being issued from, captured on the calling thread. With {@code stacks=all}
     * every body gets its site and its stack (taken as a {@link Throwable}: the JVM turns it into frames only when
     * it is shown). Otherwise the site is named for every body or, when they come fast, a sample (see
     * {@link Sampler}), and the first body of each site leaves its stack with the site ({@code sampled}).
     */
    public Origin origin(Client client) {
        return origin(client, System.nanoTime());
    }

    /** As {@link #origin(Client)}, at {@code now} ({@link System#nanoTime()}): one clock read per body. */
    private Origin origin(Client client, long now) {
        String thread = Thread.currentThread().getName();
        if (stackMode != StackMode.ALL && !samplers[client.ordinal()].sample(now)) {
            return new Origin(Origin.UNSAMPLED, null, null, thread, null);
        }
        if (stackMode == StackMode.ALL) {
            return new Origin(new Throwable(), thread, stacks); // the site is named from it when needed
        }
        String frame = stacks.site();
        Site site = site(client, frame);
        if (site.stack == null && stackMode == StackMode.SAMPLED) {
            site.stack = stacks.capture();
        }
        return new Origin(frame, null, null, thread, site);
    }

    /**
     * Starts tracking a body. Returns its handle, or null when this object is tracked already.
     *
     * @param origin where the request was issued, or null to take the current thread's stack
     */
    public Body open(Client client, Object body, String method, Object target, int status, Origin origin) {
        return open(client, body, method, target, status, origin, null);
    }

    /** As {@link #open(Client, Object, String, Object, int, Origin)}, for a body that {@code owner} can end. */
    public Body open(Client client, Object body, String method, Object target, int status, Origin origin,
            Object owner) {
        if (open.containsKey(new WeakKey.Lookup(body))) {
            return null;
        }
        long now = System.nanoTime();
        Origin o = origin != null ? origin : origin(client, now);
        Site site = o.resolved != null && o.resolved.client == client ? o.resolved
                : o.lazy() ? null : o.site() == Origin.UNSAMPLED ? unsampled(client) : site(client, o.site());
        Body handle = new Body(body, queue, client, site, o.raw, method, target, status, o.thread, owner,
                now);
        open.put(handle, handle); // one thread opens a body: no other can be tracking it between the check and here
        counts[client.ordinal()].opened.increment();
        return handle;
    }

    /**
     * The body was closed, read to its end, consumed, aborted or cancelled; later calls do nothing. For bodies whose
     * handle only the registry holds: out of the map, the handle is unreachable, and the GC queues no unreachable
     * reference, so it is not cleared ({@code clear()} is a native call on JDK 17, some 20 ns per body). A support
     * that keeps the handle ends the body with {@link #end}.
     */
    public void ended(Object body, boolean discarded) {
        Body handle = open.remove(new WeakKey.Lookup(body));
        if (handle != null) {
            closed(handle, discarded);
        }
    }

    /**
     * Ends the open bodies of this client that {@code owner} was given for (an OkHttp call that is cancelled).
     * Bodies are matched by the owner's identity hash, so finding them costs a look at each open body here, on
     * this rare path, instead of a weak map entry per body on every request; two live owners with the same hash
     * (a chance of about one in two billion) would end each other's bodies.
     */
    public void endOwnedBy(Client client, Object owner, boolean discarded) {
        int hash = System.identityHashCode(owner);
        for (Body b : open.values()) {
            if (b.owner == hash && b.client == client) {
                end(b, discarded);
            }
        }
    }

    /**
     * Ends a body by the handle {@link #open} returned, which the caller may go on holding: the handle is cleared, so
     * that the GC does not queue it when its body becomes unreachable.
     */
    public void end(Body handle, boolean discarded) {
        if (open.remove(handle, handle)) {
            closed(handle, discarded);
            handle.clear(); // if the GC queued it already, the reaper finds it gone
        }
    }

    /** Counts a body that this thread took out of the open ones as closed. */
    private void closed(Body handle, boolean discarded) {
        Counts c = counts[handle.client.ordinal()];
        c.closed.increment();
        if (discarded) {
            c.discarded.increment();
        }
    }

    /** Blocks until the next body becomes unreachable, or the timeout passes; returns whether one did. */
    public boolean reapNext(long timeoutMillis) throws InterruptedException {
        Reference<?> ref = queue.remove(timeoutMillis);
        if (ref == null) {
            return false;
        }
        reap((Body) ref);
        return true;
    }

    /**
     * Runs GCs and counts every body they find unreachable, waiting at most {@code maxMillis} in all. Each round
     * drops a sentinel reference before its GC, waits for it (on a busy machine the JVM may take a while to hand
     * a GC's references over), then drains the queue until it stays quiet. Rounds go on while they find leaks (at
     * least two): what was reachable only from an object awaiting finalization needs a second GC.
     */
    public void settle(long maxMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        for (int round = 0; System.nanoTime() - deadline < 0; round++) {
            int found = settleRound(deadline);
            if (found < 0 || found == 0 && round >= 1) {
                return;
            }
        }
    }

    /** One GC and its references; returns how many bodies it reaped, or -1 when interrupted. */
    private int settleRound(long deadline) {
        ReferenceQueue<Object> sentinelQueue = new ReferenceQueue<>();
        PhantomReference<Object> sentinel = new PhantomReference<>(new Object(), sentinelQueue);
        System.gc();
        int found = 0;
        try {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                sentinelQueue.remove(left);
            }
            long quietSince = System.nanoTime();
            while (System.nanoTime() - deadline < 0 && System.nanoTime() - quietSince < QUIET_NANOS) {
                Reference<?> ref = queue.remove(10);
                if (ref != null) {
                    reap((Body) ref);
                    found++;
                    quietSince = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            sentinel.clear();
        }
        return found;
    }

    private void reap(Body handle) {
        reaping.incrementAndGet();
        try {
            count(handle);
        } finally {
            reaping.decrementAndGet();
        }
    }

    /**
     * Whether a body is being counted as leaked right now. A reader that found a body gone from
     * {@link #openBodies()} waits for this to turn false before {@link #leaksOpenedSince} lists its leak.
     */
    public boolean reaping() {
        return reaping.get() > 0;
    }

    /**
     * Waits (at most {@code maxMillis}) for the bodies being counted as leaked right now, listeners included: the
     * reaper may be writing a leak's warning when a report is taken or the JVM exits.
     */
    public void awaitReaped(long maxMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        while (reaping() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(100_000);
        }
    }

    private void count(Body handle) {
        if (!open.remove(handle, handle)) {
            return; // it ended before the GC found it unreachable (cleared too late to stay off the queue)
        }
        counts[handle.client.ordinal()].leaked.increment();
        Site site = siteOf(handle);
        site.leaked.increment();
        String request = describe(handle.method, handle.url());
        if (site.example == null) {
            site.example = request;
            site.status = handle.status;
        }
        if (site == unsampled[handle.client.ordinal()]) {
            samplers[handle.client.ordinal()].boost();
        }
        Leak leak = new Leak(handle.client, site.frame, request, handle.status, handle.thread,
                stacks.dedupe(handle.stack()),
                handle.openedNanos, site.leaked.sum());
        recent.addLast(leak);
        if (recentSize.incrementAndGet() > RECENT_LEAKS && recent.pollFirst() != null) {
            recentSize.decrementAndGet();
        }
        for (LeakListener l : listeners) {
            try {
                l.leaked(leak);
            } catch (RuntimeException e) {
                // A failing reporter must not stop leak counting.
            }
        }
    }

    /** {@code METHOD url}, with the URL redacted unless {@code urls=full}. */
    public String describe(String method, Object target) {
        return (method == null ? "" : method + " ") + Urls.render(target, redactUrls);
    }

    public Tally tally(Client client) {
        Counts c = counts[client.ordinal()];
        return new Tally(c.opened.sum(), c.closed.sum(), c.leaked.sum(), c.discarded.sum());
    }

    public Tally totals() {
        Tally t = new Tally(0, 0, 0, 0);
        for (Client c : Client.values()) {
            t = t.plus(tally(c));
        }
        return t;
    }

    /** Sites that leaked, most leaks first. */
    public List<Site> leakSites() {
        List<Site> list = new ArrayList<>();
        for (Site s : sites.values()) {
            if (s.leaked() > 0) {
                list.add(s);
            }
        }
        list.sort(Comparator.comparingLong(Site::leaked).reversed().thenComparing(Site::frame));
        return list;
    }

    /** The bodies open now, oldest first. */
    public List<OpenBody> openBodies() {
        long now = System.nanoTime();
        List<OpenBody> list = new ArrayList<>();
        for (Body b : open.values()) {
            Object url = b.url();
            list.add(new OpenBody(b.client, siteOf(b).frame, b.ageMillis(now),
                    now - b.openedNanos > suspectAfterNanos, describe(b.method, url), Urls.route(url),
                    b.thread, stacks.dedupe(b.stack()), b.openedNanos));
        }
        list.sort(Comparator.comparingLong((OpenBody o) -> o.openedNanos));
        return list;
    }

    /** The number of open bodies of a client per route ({@code scheme://host:port}). */
    public Map<String, Integer> openByRoute(Client client) {
        Map<String, Integer> byRoute = new java.util.TreeMap<>();
        for (Body b : open.values()) {
            String route = b.client == client ? Urls.route(b.url()) : null;
            if (route != null) {
                byRoute.merge(route, 1, Integer::sum);
            }
        }
        return byRoute;
    }

    /** Leaks of bodies opened at or after {@code openedNanos} ({@link System#nanoTime()}), oldest first. */
    public List<Leak> leaksOpenedSince(long openedNanos) {
        List<Leak> list = new ArrayList<>();
        for (Leak l : recent) {
            if (l.openedNanos - openedNanos >= 0) {
                list.add(l);
            }
        }
        return list;
    }

    /** The body's site, named from its stack the first time it is needed ({@code stacks=all}). */
    private Site siteOf(Body b) {
        Site site = b.site;
        if (site == null) {
            site = site(b.client, stacks.site(b.stack));
            if (site.stack == null) {
                site.stack = stacks.dedupe(Stacks.frames(b.stack));
            }
            b.site = site; // a race stores the same record
        }
        return site;
    }

    /** The site that bodies whose site was not named count under. */
    private Site unsampled(Client client) {
        Site site = unsampled[client.ordinal()];
        if (site == null) {
            site = site(client, Origin.UNSAMPLED);
            unsampled[client.ordinal()] = site; // a race stores the same record
        }
        return site;
    }

    private Site site(Client client, String frame) {
        String key = client.id() + '|' + frame;
        Site site = sites.get(key);
        if (site != null) {
            return site;
        }
        if (sites.size() >= MAX_SITES) {
            return sites.computeIfAbsent(client.id() + "|(more sites)", k -> new Site(client, "(more sites)"));
        }
        return sites.computeIfAbsent(key, k -> new Site(client, frame));
    }
}
