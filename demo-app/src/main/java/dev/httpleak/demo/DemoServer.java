package dev.httpleak.demo;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A local server: {@code /bytes?n=N} answers N bytes. Bound to 127.0.0.1 only. */
final class DemoServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "demo-server");
        t.setDaemon(true);
        return t;
    });

    private DemoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            int n = query != null && query.startsWith("n=") ? Integer.parseInt(query.substring(2)) : 1024;
            byte[] chunk = new byte[8192];
            Arrays.fill(chunk, (byte) 'x');
            exchange.sendResponseHeaders(200, n);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int left = n; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, Math.min(left, chunk.length));
                }
            } catch (IOException clientLeft) {
                // A leaky client stopped reading.
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    static DemoServer start() throws IOException {
        return new DemoServer();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
