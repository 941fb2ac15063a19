package com.example.httpleak;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.concurrent.Executors;

/** A local HTTP server for the cases: {@code /bytes?n=N} answers N bytes. One per JVM, started on first use. */
public final class Server {

    private static HttpServer server;

    private Server() {
    }

    public static synchronized URI uri(int bytes) {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/bytes", exchange -> {
                String q = exchange.getRequestURI().getQuery();
                int n = Integer.parseInt(q.substring(q.indexOf('=') + 1));
                byte[] body = new byte[n];
                Arrays.fill(body, (byte) 'x');
                exchange.sendResponseHeaders(200, n);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "test-server");
                t.setDaemon(true);
                return t;
            }));
            server.start();
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bytes?n=" + bytes);
    }

    public static HttpURLConnection connect(int bytes) throws IOException {
        return (HttpURLConnection) uri(bytes).toURL().openConnection();
    }

    public static HttpRequest request(int bytes) {
        return HttpRequest.newBuilder(uri(bytes)).build();
    }

    /** The caller's frame as the agent names a site: {@code Class.method(File.java:LINE)}. */
    public static String here() {
        return new Throwable().getStackTrace()[1].toString();
    }
}
