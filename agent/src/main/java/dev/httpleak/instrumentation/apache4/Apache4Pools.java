package dev.httpleak.instrumentation.apache4;

import dev.httpleak.core.Client;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Pools;
import dev.httpleak.instrumentation.ApacheRoutes;
import dev.httpleak.instrumentation.Reflect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads each live {@code PoolingHttpClientConnectionManager} through its public statistics
 * ({@code getRoutes()}, {@code getStats(route)}); a manager whose pool was shut down is left out.
 */
final class Apache4Pools implements Pools.Probe {

    @Override
    public void collect(List<Object> registered, List<PoolRow> out) throws Exception {
        for (Object manager : registered) {
            try {
                Object pool = Reflect.field(manager, "pool");
                if (Boolean.TRUE.equals(Reflect.call(pool, "isShutdown"))) {
                    continue;
                }
                String name = "PoolingHttpClientConnectionManager@" + Integer.toHexString(System.identityHashCode(manager));
                for (Object route : new ArrayList<>((Collection<?>) Reflect.call(manager, "getRoutes"))) {
                    Object stats = Reflect.call(manager, "getStats", route);
                    out.add(new PoolRow(Client.APACHE_HTTPCLIENT4, name, ApacheRoutes.route(route),
                            (Integer) Reflect.call(stats, "getLeased"), (Integer) Reflect.call(stats, "getAvailable"),
                            (Integer) Reflect.call(stats, "getMax"), (Integer) Reflect.call(stats, "getPending")));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // This manager cannot be read; the others still can.
            }
        }
    }
}
