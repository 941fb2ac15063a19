package dev.httpleak.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The open bodies, their phantom references and the exact counters. No global lock on a request: a body opened
 * by {@link #track} starts in its thread's {@link Lane}, and most end there; one open for a while, or ended by
 * another thread, moves to the map of open bodies, a {@link ConcurrentHashMap} keyed by weak identity (where
 * {@link #open} puts a body at once). Whoever takes a body out of its lane slot or the map counts it: the hook
 * that saw it end, the reaper that found it unreachable, the mover that matched an end from another thread.
 * Counters are per lane (written by its thread only) and {@link java.util.concurrent.atomic.LongAdder}s.
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
    /** How often the reaper moves bodies from lanes to the map. */
    static final long MOVE_MILLIS = 100;
    /**
     * How long a body stays in its thread's lane at least before it moves to the map (then the GC can find it
     * leaked). Its opening time is the {@link Clock}'s, up to one reaper interval early: it moves once that time is
     * this plus {@link #MOVE_MILLIS} ago.
     */
    static final long PROMOTE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(MOVE_MILLIS);
    private static final long MOVE_AT_AGE_NANOS = PROMOTE_AFTER_NANOS + TimeUnit.MILLISECONDS.toNanos(MOVE_MILLIS);
    /** Ends of bodies not found on their thread that wait for the next move before the ending thread does it. */
    static final int MAX_MISSED = 10_000;

    /** {@code Thread.isVirtual} (JDK 21 and later), or null: a virtual thread opens in the map, not in a lane. */
    private static final MethodHandle IS_VIRTUAL = isVirtual();

    /** Called for every leak, on the reaper thread. */
    public interface LeakListener {
        void leaked(Leak leak);
    }

    public enum StackMode { ALL, SAMPLED, OFF }

    /** How long the reference queue must stay empty before a settle counts as done. */
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    /** When bodies opened; what comes later than a tick reads a time at or after it (see {@link Clock}). */
    private final Clock clock = new Clock();
    /**
     * Each open body, keyed by itself (see {@link Body#equals}). A service holds few bodies open at once, yet each
     * request puts one and removes it: in a map of the default size every core would write the same two cache lines
     * (see {@link #OPEN_CAPACITY}).
     */
    private final ConcurrentHashMap<Object, Body> open = new ConcurrentHashMap<>(OPEN_CAPACITY);
    /** Every platform thread's lane, made on its first body; folded into {@link #counts} when the thread is gone. */
    private final ConcurrentLinkedQueue<Lane> lanes = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Lane> lane = new ThreadLocal<>();
    /** Ends no lane of their thread nor the map knew: of another thread's lane, or of untracked objects. */
    private final ConcurrentLinkedQueue<Missed> missed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger missedSize = new AtomicInteger();
    /**
     * Held while bodies move from lanes to the map and missed ends are matched: by the reaper, reports and settles;
     * by a request's hook only when more than {@link #MAX_MISSED} ends wait.
     */
    private final Object moving = new Object();
    private volatile long lastMove = System.nanoTime();
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
            samplers[i] = new Sampler(clock.now());
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
        return origin(client, now());
    }

    /**
     * As {@link #origin(Client)}, at {@code now} (the registry's {@link #now()}, which the sampler counts in): a
     * caller that needs the time too reads it once.
     */
    public Origin origin(Client client, long now) {
        return origin(client, now, null);
    }

    /** As {@link #origin(Client, long)}; a body whose site is not named takes its lane's origin, if it has a lane. */
    private Origin origin(Client client, long now, Lane l) {
        String thread = Thread.currentThread().getName();
        if (stackMode != StackMode.ALL && !samplers[client.ordinal()].sample(now)) {
            return l != null ? l.unsampled(thread) : new Origin(Origin.UNSAMPLED, null, null, thread, null);
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
     * Starts tracking a body that the caller keeps no handle of, in the calling thread's lane when it has room (see
     * {@link Lane}), else in the map. Does nothing when this object is tracked already by this thread or the map.
     *
     * @param origin where the request was issued, or null to take the current thread's stack
     */
    public void track(Client client, Object body, String method, Object target, int status, Origin origin) {
        track(client, body, method, target, status, origin, null);
    }

    /**
     * As {@link #track(Client, Object, String, Object, int, Origin)}, for a body that {@code owner} can end (see
     * {@link #endOwnedBy}). The lane holds the owner strongly until the body ends or moves to the map.
     */
    public void track(Client client, Object body, String method, Object target, int status, Origin origin,
            Object owner) {
        Lane l = lane();
        if (l == null) {
            open(client, body, method, target, status, origin, owner);
            return;
        }
        if (l.holds(body) || !open.isEmpty() && open.containsKey(new WeakKey.Lookup(body))) {
            return;
        }
        long now = clock.now();
        Origin o = origin != null ? origin : origin(client, now, l);
        if (!l.open(client, body, method, target, status, o, owner, now)) {
            open(client, body, method, target, status, o, owner);
        }
    }

    /**
     * Starts tracking a body in the map. Returns its handle, or null when this object is tracked already.
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
        long now = clock.now();
        Origin o = origin != null ? origin : origin(client, now);
        Body handle = new Body(body, queue, client, site(client, o), o.raw, method, target, status, o.thread, owner,
                now);
        open.put(handle, handle); // one thread opens a body: no other can be tracking it between the check and here
        counts[client.ordinal()].opened.increment();
        return handle;
    }

    /**
     * Counts a body that was over before anyone could leak it (the client had finished with its connection when
     * the user got it) as opened and closed, without tracking it: no origin, no slot, no map entry.
     */
    public void passed(Client client, boolean discarded) {
        Lane l = lane();
        if (l != null) {
            l.passed(client, discarded);
            return;
        }
        Counts c = counts[client.ordinal()];
        c.opened.increment();
        closed(client, discarded);
    }

    /**
     * The body was closed, read to its end, consumed, aborted or cancelled; later calls do nothing. For bodies whose
     * handle only the registry holds: out of the map, the handle is unreachable, and the GC queues no unreachable
     * reference, so it is not cleared ({@code clear()} is a native call on JDK 17, some 20 ns per body). A support
     * that keeps the handle ends the body with {@link #end}.
     */
    public void ended(Object body, boolean discarded) {
        Lane l = lane();
        if (l != null && l.end(body, discarded)) {
            return;
        }
        Body handle = open.isEmpty() ? null : open.remove(new WeakKey.Lookup(body));
        if (handle != null) {
            closed(handle, discarded);
            if (l != null) {
                l.endedElsewhere(body);
            }
        } else if ((l == null || !l.endedLast(body)) && inALane(body)) {
            missed(new Missed(body, discarded, clock.tick())); // a body tracked after this reads a later time
        }
    }

    /**
     * Whether a lane may hold this body now (it does, or a move is under way): only then is an end that this
     * thread's lane and the map did not know queued. Ends of objects never tracked (a body opened before an
     * attach, a second end on a virtual thread) then cost a look at each lane instead of a queue entry each.
     */
    private boolean inALane(Object body) {
        for (Lane l : lanes) {
            if (l.mayHold(body)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An end that this thread's lane and the map did not know: the body may sit in another thread's lane. The next
     * move matches it; past {@link #MAX_MISSED} waiting, this thread moves at once, so that memory stays bounded.
     */
    private void missed(Missed m) {
        missed.add(m);
        if (missedSize.incrementAndGet() > MAX_MISSED) {
            move(false);
        }
    }

    /** The calling thread's lane, made on first use; null on a virtual thread. */
    private Lane lane() {
        Lane l = lane.get();
        if (l == null) {
            Thread t = Thread.currentThread();
            if (isVirtual(t)) {
                return null;
            }
            l = new Lane(t);
            lane.set(l);
            lanes.add(l);
        }
        return l;
    }

    /** Moves the bodies that have been open a while (or all) from the lanes to the map, and matches missed ends. */
    public void move(boolean all) {
        synchronized (moving) {
            long now = clock.tick();
            lastMove = now;
            IdentityHashMap<Object, Missed> ends = new IdentityHashMap<>();
            for (Missed m; (m = missed.poll()) != null; ) {
                missedSize.decrementAndGet();
                ends.put(m.body, m); // an end of the same body later replaces an earlier one
            }
            for (Lane l : lanes) {
                for (int i = 0; i < Lane.SLOTS; i++) {
                    Object body = l.body(i);
                    if (body != null && (all || ends.containsKey(body) || now - l.openedNanos(i) >= MOVE_AT_AGE_NANOS)
                            && l.claim(i, body)) { // its fields hold still until released
                        move(l, i, body, ends.remove(body));
                    }
                }
                if (l.retired()) {
                    retire(l);
                }
            }
            for (Missed m : ends.values()) { // a body in the map before its end came; else one never tracked
                Body handle = open.get(new WeakKey.Lookup(m.body));
                if (handle != null && handle.openedNanos - m.nanos < 0 && open.remove(handle, handle)) {
                    closed(handle, m.discarded);
                }
            }
        }
    }

    /** Moves the bodies that {@code owner} was given for from the lanes to the map, where a cancel finds them. */
    private void moveOwnedBy(Object owner) {
        synchronized (moving) {
            for (Lane l : lanes) {
                for (int i = 0; i < Lane.SLOTS; i++) {
                    Object body = l.body(i);
                    if (body != null && l.owner(i) == owner && l.claim(i, body)) { // a slot holding it holds its owner
                        move(l, i, body, null);
                    }
                }
            }
        }
    }

    /** What the reaper does between references: a tick of the clock, and a move every {@link #MOVE_MILLIS}. */
    public void maintain() {
        if (clock.tick() - lastMove >= PROMOTE_AFTER_NANOS) {
            move(false);
        }
    }

    /**
     * Ends the body of a claimed lane slot if {@code end} came after it opened, else moves it to the map; the slot
     * is free afterwards. Past the claim, its thread no longer finds the body there but in the map.
     */
    private void move(Lane l, int slot, Object body, Missed end) {
        try {
            Client client = l.client(slot);
            if (end != null && l.openedNanos(slot) - end.nanos < 0) {
                closed(client, end.discarded);
                return;
            }
            Origin o = l.origin(slot);
            Body handle = new Body(body, queue, client, site(client, o), o.raw, l.method(slot), l.target(slot),
                    l.status(slot), o.thread, l.owner(slot), l.openedNanos(slot));
            open.put(handle, handle);
        } finally {
            l.release(slot);
        }
    }

    /** Folds a lane whose thread is gone into the totals (under {@link #moving}, as {@link #tally} reads). */
    private void retire(Lane l) {
        if (lanes.remove(l)) {
            for (Client c : Client.values()) {
                Counts counts = this.counts[c.ordinal()];
                counts.opened.add(l.count(c, Lane.OPENED));
                counts.closed.add(l.count(c, Lane.CLOSED));
                counts.discarded.add(l.count(c, Lane.DISCARDED));
            }
        }
    }

    /**
     * Ends the open bodies of this client that {@code owner} was given for (an OkHttp call that is cancelled).
     * Bodies are matched by the owner's identity hash, so finding them costs a look at each open body here, on
     * this rare path, instead of a weak map entry per body on every request; two live owners with the same hash
     * (a chance of about one in two billion) would end each other's bodies. The owner's bodies in lanes move to the
     * map first.
     */
    public void endOwnedBy(Client client, Object owner, boolean discarded) {
        moveOwnedBy(owner);
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
        closed(handle.client, discarded);
    }

    private void closed(Client client, boolean discarded) {
        Counts c = counts[client.ordinal()];
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
        move(true);
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
        if (!missed.isEmpty()) {
            move(false); // an end from another thread may be waiting for it
        }
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
            samplers[handle.client.ordinal()].boost(clock.now());
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
        if (!missed.isEmpty()) {
            move(false); // count the ends that other threads saw
        }
        synchronized (moving) { // a lane being retired is counted once, in its lane or in the totals
            long opened = c.opened.sum();
            long closed = c.closed.sum();
            long discarded = c.discarded.sum();
            for (Lane l : lanes) {
                opened += l.count(client, Lane.OPENED);
                closed += l.count(client, Lane.CLOSED);
                discarded += l.count(client, Lane.DISCARDED);
            }
            return new Tally(opened, closed, c.leaked.sum(), discarded);
        }
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
        move(true);
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
        move(true);
        Map<String, Integer> byRoute = new java.util.TreeMap<>();
        for (Body b : open.values()) {
            String route = b.client == client ? Urls.route(b.url()) : null;
            if (route != null) {
                byRoute.merge(route, 1, Integer::sum);
            }
        }
        return byRoute;
    }

    /**
     * The registry's clock ({@link System#nanoTime()} up to {@link #MOVE_MILLIS} early): what a time stamp taken on
     * every request reads, a plain load instead of the system clock's 25 ns.
     */
    public long now() {
        return clock.now();
    }

    /**
     * A moment to tell bodies opened before it from those opened at or after it ({@link #leaksOpenedSince},
     * {@link OpenBody#openedNanos}): a {@link System#nanoTime()} that the registry's clock has ticked to.
     */
    public long mark() {
        return clock.tick();
    }

    /** Leaks of bodies opened at or after {@code openedNanos} (a {@link #mark}), oldest first. */
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

    /** The site record of a body from this origin: null while it is to be named from the stack. */
    private Site site(Client client, Origin o) {
        return o.resolved != null && o.resolved.client == client ? o.resolved
                : o.lazy() ? null : o.site() == Origin.UNSAMPLED ? unsampled(client) : site(client, o.site());
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

    private static boolean isVirtual(Thread t) {
        try {
            return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            return true; // the map works for every thread
        }
    }

    private static MethodHandle isVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // before JDK 21 every thread is a platform thread
        }
    }

    /** An end that its thread's lane and the map did not know, at {@code nanos}: a tick of the registry's clock. */
    private static final class Missed {
        final Object body;
        final boolean discarded;
        final long nanos;

        Missed(Object body, boolean discarded, long nanos) {
            this.body = body;
            this.discarded = discarded;
            this.nanos = nanos;
        }
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
