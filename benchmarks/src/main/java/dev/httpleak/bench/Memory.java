package dev.httpleak.bench;

import dev.httpleak.core.Client;
import dev.httpleak.core.Leak;
import dev.httpleak.core.Origin;
import dev.httpleak.core.Registry;
import dev.httpleak.core.Site;
import dev.httpleak.core.SiteRules;
import dev.httpleak.core.Target;
import org.apache.http.HttpHost;


import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.URI;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Heap the agent's registry keeps: per open body, per leak site, and for a million leaks from one site. It drives
 * the real {@link Registry} (the same calls the hooks make) with plain objects standing in for bodies, and takes
 * used heap after full GCs before and after. Run with the agent jar on the class path and {@code -XX:+UseSerialGC}
 * (a compacting, single-threaded collector whose "used" is exact); prints a Markdown section on stdout.
 */
public final class Memory {

    /** The request every body comes from; the hooks pass the request's own URL object, so it is shared. */
    private static final URI TARGET = URI.create("http://127.0.0.1:8080/users/1?token=secret");

    private Memory() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        int bodies = quick ? 20_000 : 100_000;
        int leaks = quick ? 100_000 : 1_000_000;
        StringBuilder md = new StringBuilder("### Memory\n\n");
        md.append(String.format(Locale.ROOT, "Retained heap per open body, %,d bodies open at once from one site, median of 3 "
                + "(`sampled` and `off` keep no stack per body; `all` keeps each body's stack as the JVM took it until "
                + "the body ends, and shows it as frames stored once per distinct stack):%n%n", bodies));
        md.append("| stacks | bytes per open body, the request's URL object | bytes per open body, the URL as the "
                + "Apache hooks keep it (the route's `HttpHost`, shared, and a path string of its own) |\n");
        md.append("| --- | ---: | ---: |\n");
        for (Registry.StackMode mode : Registry.StackMode.values()) {
            double shared = median(perOpenBody(mode, bodies, false), perOpenBody(mode, bodies, false),
                    perOpenBody(mode, bodies, false));
            double fresh = median(perOpenBody(mode, bodies, true), perOpenBody(mode, bodies, true),
                    perOpenBody(mode, bodies, true));
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f |%n", mode.name().toLowerCase(Locale.ROOT), shared,
                    fresh));
        }
        md.append('\n');
        double site = median(perSite(), perSite(), perSite());
        md.append(String.format(Locale.ROOT, "One more leak site (its record and its one stack of %d frames): "
                + "%.0f bytes.%n%n", depth(), site));
        md.append("One leak site, many leaks (all reaped; the registry keeps a bounded list of recent leaks):\n\n");
        md.append("| stacks | leaks | retained bytes after 1,000 leaks | retained bytes after all | distinct stacks kept "
                + "| sites (the named one, and `" + Origin.UNSAMPLED + "` when some were not) |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Registry.StackMode mode : new Registry.StackMode[] {Registry.StackMode.SAMPLED, Registry.StackMode.ALL}) {
            md.append(manyLeaks(mode, leaks));
        }
        System.out.print(md);
    }

    private static double median(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    private static Registry registry(Registry.StackMode mode) {
        return new Registry(new SiteRules(Collections.emptyList()), mode, true, 60_000);
    }

    /**
     * Bytes the registry retains per open body (the bodies themselves are allocated before the baseline). With
     * {@code freshTarget} each body gets its URL as the Apache hooks keep it, the route's {@code HttpHost} (one per
     * route) and the request's path, a string of its own: the request that made it is gone, so it counts.
     */
    /** The route's host, which the Apache hooks keep one of per route. */
    private static final HttpHost HOST = new HttpHost(TARGET.getHost(), TARGET.getPort(), TARGET.getScheme());

    /** A URL as the Apache 4.5 hook keeps it: the route's shared host, and a path string each request makes. */
    private static Target apacheTarget() {
        return new Target(HOST, fresh(TARGET.getRawPath() + "?" + TARGET.getRawQuery()));
    }

    private static String fresh(String s) {
        return String.valueOf(s.toCharArray());
    }

    private static double perOpenBody(Registry.StackMode mode, int n, boolean freshTarget) {
        Registry registry = registry(mode);
        Object[] bodies = new Object[n];
        for (int i = 0; i < n; i++) {
            bodies[i] = new Object();
        }
        for (int i = 0; i < 1_000; i++) { // the site, its stack and the tables exist before the baseline
            Object warm = new Object();
            registry.end(open(registry, warm, TARGET), false);
        }
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            open(registry, bodies[i], freshTarget ? apacheTarget() : TARGET);
        }
        long after = usedAfterGc();
        System.err.printf(Locale.ROOT, "open bodies, stacks=%s%s: %,d bytes for %,d%n", mode,
                freshTarget ? " (Apache URLs)" : "", after - before, n);
        Reference.reachabilityFence(bodies);
        Reference.reachabilityFence(registry);
        return (after - before) / (double) n;
    }

    /** Every body here is opened at one site: this line. */
    private static dev.httpleak.core.Body open(Registry registry, Object body, Object target) {
        return registry.open(Client.OKHTTP, body, "GET", target, 200, null);
    }

    /** Bytes per additional site, from 16 sites opened one body each (bodies closed again). */
    private static double perSite() {
        Registry registry = registry(Registry.StackMode.SAMPLED);
        registry.end(open(registry, new Object(), TARGET), false);
        long before = usedAfterGc();
        for (int i = 0; i < 16; i++) {
            Object body = new Object();
            registry.end(Sites.open(registry, i, body, TARGET), false);
        }
        long after = usedAfterGc();
        Reference.reachabilityFence(registry);
        return (after - before) / 16.0;
    }

    private static int depth() {
        return Thread.currentThread().getStackTrace().length + 2;
    }

    /** {@code n} bodies opened at one site and dropped unclosed; the reaper's work is done here, inline. */
    private static String manyLeaks(Registry.StackMode mode, int n) throws InterruptedException {
        Registry registry = registry(mode);
        long base = usedAfterGc();
        long[] retained = new long[2];
        int done = 0;
        int[] marks = {1_000, n};
        for (int i = 0; i < marks.length; i++) { // one call line for all leaks: one stack, even with stacks=all
            leak(registry, marks[i] - done);
            done = marks[i];
            retained[i] = usedAfterGc() - base;
        }
        long afterThousand = retained[0];
        long afterAll = retained[1];
        List<Site> sites = registry.leakSites();
        long leaked = sites.stream().mapToLong(Site::leaked).sum();
        Map<Object, Boolean> stacks = new IdentityHashMap<>();
        for (Leak l : registry.leaksOpenedSince(Long.MIN_VALUE / 2)) {
            if (l.stack != null) {
                stacks.put(l.stack, Boolean.TRUE);
            }
        }
        for (Site s : sites) {
            if (s.stack() != null) {
                stacks.put(s.stack(), Boolean.TRUE);
            }
        }
        if (leaked != n) {
            throw new IllegalStateException("expected " + n + " leaks, counted " + leaked);
        }
        System.err.printf(Locale.ROOT, "%,d leaks, stacks=%s: %,d bytes%n", n, mode, afterAll);
        Reference.reachabilityFence(registry);
        return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %d | %d |%n", mode.name().toLowerCase(Locale.ROOT), n,
                afterThousand, afterAll, stacks.size(), sites.size());
    }

    private static void leak(Registry registry, int n) throws InterruptedException {
        int chunk = 50_000;
        for (int done = 0; done < n; done += chunk) {
            int count = Math.min(chunk, n - done);
            for (int i = 0; i < count; i++) {
                open(registry, new Object(), TARGET);
            }
            System.gc();
            int reaped = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reaped < count && System.nanoTime() < deadline) {
                if (registry.reapNext(100)) {
                    reaped++;
                } else {
                    System.gc();
                }
            }
        }
    }

    /** Heap in use after full collections, once it stops shrinking. */
    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (now >= used && i >= 3) {
                return Math.min(now, used);
            }
            used = Math.min(used, now);
        }
        return used;
    }

    /** Sixteen call sites, one per line, for the cost of a site. */
    static final class Sites {
        private Sites() {
        }

        static dev.httpleak.core.Body open(Registry r, int i, Object body, Object target) {
            switch (i) {
                case 0: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 1: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 2: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 3: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 4: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 5: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 6: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 7: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 8: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 9: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 10: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 11: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 12: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 13: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                case 14: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
                default: return r.open(Client.OKHTTP, body, "GET", target, 200, null);
            }
        }
    }
}
