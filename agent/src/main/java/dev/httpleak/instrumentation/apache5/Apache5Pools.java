package dev.httpleak.instrumentation.apache5;

import dev.httpleak.core.Client;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Pools;
import dev.httpleak.instrumentation.ApacheRoutes;
import dev.httpleak.instrumentation.Reflect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads each live {@code PoolingHttpClientConnectionManager} (classic) and
 * {@code PoolingAsyncClientConnectionManager} (async) through their public statistics; closed managers are
 * left out.
 */
final class Apache5Pools implements Pools.Probe {

    @Override
    public void collect(List<Object> registered, List<PoolRow> out) throws Exception {
        for (Object manager : registered) {
            try {
                if (closed(manager)) {
                    continue;
                }
                String name = manager.getClass().getSimpleName() + "@"
                        + Integer.toHexString(System.identityHashCode(manager));
                for (Object route : new ArrayList<>((Collection<?>) Reflect.call(manager, "getRoutes"))) {
                    Object stats = Reflect.call(manager, "getStats", route);
                    out.add(new PoolRow(Client.APACHE_HTTPCLIENT5, name, ApacheRoutes.route(route),
                            (Integer) Reflect.call(stats, "getLeased"), (Integer) Reflect.call(stats, "getAvailable"),
                            (Integer) Reflect.call(stats, "getMax"), (Integer) Reflect.call(stats, "getPending")));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // This manager cannot be read; the others still can.
            }
        }
    }

    private static boolean closed(Object manager) {
        try {
            return Boolean.TRUE.equals(Reflect.call(manager, "isClosed")); // 5.2 and later
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                Object closed = Reflect.field(manager, "closed"); // 5.1
                return closed instanceof AtomicBoolean && ((AtomicBoolean) closed).get();
            } catch (ReflectiveOperationException | RuntimeException again) {
                return false;
            }
        }
    }
}
