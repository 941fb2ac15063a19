package dev.httpleak.instrumentation.okhttp;

import dev.httpleak.core.Client;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Pools;
import dev.httpleak.core.Urls;
import dev.httpleak.instrumentation.Reflect;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Reads each {@code RealConnectionPool} that pooled a connection (registered from {@code put}): per route, the
 * connections carrying calls ({@code leased}) and the idle ones. OkHttp sets no cap on connections, so
 * {@code max} is null and nothing waits here (waiting happens in the {@code Dispatcher}, see
 * {@link OkHttpTracker#dispatcherPromoted}). HTTP/2 connections are counted in the row's {@code http2}.
 */
final class OkHttpPools implements Pools.Probe {

    @Override
    public void collect(List<Object> registered, List<PoolRow> out) throws Exception {
        for (Object pool : registered) {
            try {
                collect(pool, out);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // This pool's shape is unknown; the other pools still report.
            }
        }
    }

    private static void collect(Object pool, List<PoolRow> out) throws ReflectiveOperationException {
        Collection<?> connections = (Collection<?>) Reflect.field(pool, "connections");
        Object[] all;
        if (connections instanceof ConcurrentLinkedQueue) {
            all = connections.toArray(); // 4.x and 5.x
        } else {
            synchronized (pool) { // 3.14: an ArrayDeque guarded by the pool's monitor
                all = connections.toArray();
            }
        }
        Map<String, int[]> byRoute = new TreeMap<>();
        for (Object connection : all) {
            Object route = Reflect.call(connection, "route");
            Object url = Reflect.call(Reflect.call(route, "address"), "url");
            String key = Urls.route(String.valueOf(url));
            if (key == null) {
                continue;
            }
            // 4.x and 5.x list the calls on a connection in `calls`, 3.14 in `transmitters`.
            Object calls = OkHttpTracker.fieldOrNull(connection, "calls");
            if (calls == null) {
                calls = Reflect.field(connection, "transmitters");
            }
            int[] n = byRoute.computeIfAbsent(key, k -> new int[3]);
            n[((Collection<?>) calls).isEmpty() ? 1 : 0]++;
            if (Reflect.field(connection, "http2Connection") != null) {
                n[2]++;
            }
        }
        String name = "ConnectionPool@" + Integer.toHexString(System.identityHashCode(pool));
        for (Map.Entry<String, int[]> e : byRoute.entrySet()) {
            int[] n = e.getValue();
            out.add(new PoolRow(Client.OKHTTP, name, e.getKey(), n[0], n[1], null, 0, n[2]));
        }
    }
}
