package dev.httpleak.it.okhttp;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A local HTTP server for OkHttp's transparent gzip and its cache: every path answers {@code n} random bytes
 * ({@code ?n=N}, default 1 MiB) gzip-encoded, cacheable for ten minutes.
 */
final class GzipServer implements AutoCloseable {

    private final HttpServer server;

    GzipServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "gzip-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", ex -> {
            try (OutputStream out = ex.getResponseBody()) {
                String q = ex.getRequestURI().getRawQuery();
                int n = q != null && q.startsWith("n=") ? Integer.parseInt(q.substring(2)) : 1 << 20;
                byte[] plain = new byte[n];
                new Random(n).nextBytes(plain); // incompressible, so that the encoded body is big too
                ByteArrayOutputStream gz = new ByteArrayOutputStream();
                try (GZIPOutputStream zip = new GZIPOutputStream(gz)) {
                    zip.write(plain);
                }
                ex.getResponseHeaders().set("Content-Encoding", "gzip");
                ex.getResponseHeaders().set("Cache-Control", "max-age=600");
                ex.sendResponseHeaders(200, gz.size());
                out.write(gz.toByteArray());
            } catch (IOException e) {
                // The client went away.
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
