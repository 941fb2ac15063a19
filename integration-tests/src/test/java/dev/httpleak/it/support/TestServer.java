package dev.httpleak.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP and HTTPS server on 127.0.0.1 (the JDK's own), started inside a forked scenario JVM. Endpoints:
 * <ul>
 *   <li>{@code /bytes?n=N} N bytes with a Content-Length</li>
 *   <li>{@code /chunked?n=N} N bytes, chunked</li>
 *   <li>{@code /status?code=C&n=N} status C with an N-byte body</li>
 *   <li>{@code /lines?n=N} N lines of text</li>
 *   <li>{@code /events?n=N&ms=M} N server-sent events, one every M milliseconds</li>
 * </ul>
 * Handlers run on a cached pool, so a leaked body never blocks the next request.
 */
public final class TestServer implements AutoCloseable {

    private final HttpServer http;
    private final HttpsServer https;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-server");
        t.setDaemon(true);
        return t;
    });

    private TestServer() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
        for (HttpServer s : new HttpServer[] {http, https}) {
            s.createContext("/", this::handle);
            s.setExecutor(executor);
            s.start();
        }
    }

    public static TestServer start() throws Exception {
        return new TestServer();
    }

    /** {@code http://127.0.0.1:PORT} or {@code https://127.0.0.1:PORT}. */
    public String base(boolean secure) {
        return secure ? "https://127.0.0.1:" + https.getAddress().getPort()
                : "http://127.0.0.1:" + http.getAddress().getPort();
    }

    public String url(boolean secure, String pathAndQuery) {
        return base(secure) + pathAndQuery;
    }

    @Override
    public void close() {
        http.stop(0);
        https.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        Map<String, String> q = query(ex.getRequestURI().getRawQuery());
        String path = ex.getRequestURI().getPath();
        int n = Integer.parseInt(q.getOrDefault("n", "16"));
        try (OutputStream out = ex.getResponseBody()) {
            switch (path) {
                case "/bytes":
                    ex.sendResponseHeaders(200, n == 0 ? -1 : n);
                    write(out, n);
                    break;
                case "/chunked":
                    ex.sendResponseHeaders(200, 0);
                    write(out, n);
                    break;
                case "/status":
                    ex.sendResponseHeaders(Integer.parseInt(q.getOrDefault("code", "500")), n == 0 ? -1 : n);
                    write(out, n);
                    break;
                case "/lines":
                    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                    ex.sendResponseHeaders(200, 0);
                    for (int i = 0; i < n; i++) {
                        out.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                    break;
                case "/events":
                    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                    ex.sendResponseHeaders(200, 0);
                    int ms = Integer.parseInt(q.getOrDefault("ms", "100"));
                    for (int i = 0; i < n; i++) {
                        out.write(("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        Thread.sleep(ms);
                    }
                    break;
                default:
                    ex.sendResponseHeaders(404, -1);
            }
        } catch (IOException | InterruptedException e) {
            // The client went away: that is what leak tests do.
        } finally {
            ex.close();
        }
    }

    private static void write(OutputStream out, int n) throws IOException {
        byte[] chunk = new byte[8192];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int left = n; left > 0; left -= chunk.length) {
            out.write(chunk, 0, Math.min(left, chunk.length));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return q;
    }

    private static SSLContext sslContext() throws Exception {
        String path = System.getProperty("it.keyStore");
        if (path == null) {
            throw new IllegalStateException("no -Dit.keyStore: start scenarios through Forked");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(path)) {
            ks.load(in, Tls.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, Tls.PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
