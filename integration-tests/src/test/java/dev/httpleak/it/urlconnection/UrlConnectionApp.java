package dev.httpleak.it.urlconnection;

import dev.httpleak.it.support.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Scenarios for {@code HttpURLConnection}/{@code HttpsURLConnection}, run in a forked JVM:
 * {@code UrlConnectionApp SCENARIO COUNT http|https}. Each leaky scenario leaks from one marked line.
 */
public final class UrlConnectionApp {

    /** 1 MiB: more than the JDK drains in the background on close (512 KB). */
    static final String BIG = "/bytes?n=1048576";
    private static final List<Object> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        int count = Integer.parseInt(args[1]);
        boolean secure = "https".equals(args[2]);
        try (TestServer server = TestServer.start()) {
            for (int i = 0; i < count; i++) {
                run(scenario, server, secure);
            }
            System.out.println("scenario " + scenario + " done");
            Thread.sleep(Long.getLong("it.holdMillis", 0)); // lets kept bodies grow old
        }
    }

    private static void run(String scenario, TestServer server, boolean secure) throws IOException {
        switch (scenario) {
            case "leakInputStream": leakInputStream(open(server.url(secure, BIG))); break;
            case "leakOnStatus": leakOnStatus(open(server.url(secure, "/status?code=503&n=1048576"))); break;
            case "leakErrorBody": leakErrorBody(open(server.url(secure, "/status?code=404&n=1048576"))); break;
            case "closed": closed(open(server.url(secure, BIG))); break;
            case "readToEnd": readToEnd(open(server.url(secure, "/chunked?n=100000"))); break;
            case "tryWithResources": tryWithResources(open(server.url(secure, BIG))); break;
            case "statusOnlyClosed": statusOnlyClosed(open(server.url(secure, "/bytes?n=100"))); break;
            case "disconnected": disconnected(open(server.url(secure, BIG))); break;
            case "errorBodyRead": errorBodyRead(open(server.url(secure, "/status?code=500&n=1000"))); break;
            case "kept": kept(open(server.url(secure, BIG))); break;
            case "acrossThreads": acrossThreads(server, secure); break;
            case "virtualThreads": virtualThreads(server, secure); break;
            default: throw new IllegalArgumentException(scenario);
        }
    }

    private static HttpURLConnection open(String url) throws IOException {
        return (HttpURLConnection) new URL(url).openConnection();
    }

    static void leakInputStream(HttpURLConnection c) throws IOException {
        InputStream in = c.getInputStream(); // site:leakInputStream
        in.read();
    }

    static void leakOnStatus(HttpURLConnection c) throws IOException {
        if (c.getResponseCode() != 200) { // site:leakOnStatus
            return; // forgot the error body
        }
        c.getInputStream().close();
    }

    static void leakErrorBody(HttpURLConnection c) throws IOException {
        c.getResponseCode(); // site:leakErrorBody
        c.getErrorStream().read();
    }

    static void closed(HttpURLConnection c) throws IOException {
        InputStream in = c.getInputStream();
        in.read();
        in.close();
    }

    static void readToEnd(HttpURLConnection c) throws IOException {
        InputStream in = c.getInputStream();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // read it all, never close: EOF gives the connection back
        }
    }

    static void tryWithResources(HttpURLConnection c) throws IOException {
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }

    static void statusOnlyClosed(HttpURLConnection c) throws IOException {
        if (c.getResponseCode() == 200) {
            c.getInputStream().close();
        }
    }

    static void disconnected(HttpURLConnection c) throws IOException {
        c.getInputStream().read();
        c.disconnect();
    }

    static void errorBodyRead(HttpURLConnection c) throws IOException {
        if (c.getResponseCode() >= 400) {
            try (InputStream err = c.getErrorStream()) {
                err.readAllBytes();
            }
        }
    }

    static void kept(HttpURLConnection c) throws IOException {
        KEPT.add(c.getInputStream()); // site:kept
    }

    /**
     * Opened here, read and closed on another thread: a platform thread, then (JDK 21 and later) a virtual one.
     * The body starts in this thread's lane; its ends come from elsewhere.
     */
    static void acrossThreads(TestServer server, boolean secure) throws IOException {
        for (ExecutorService other : List.of(Executors.newSingleThreadExecutor(), virtualThreads())) {
            InputStream in = open(server.url(secure, BIG)).getInputStream();
            try {
                other.submit(() -> {
                    try (InputStream body = in) {
                        return body.readAllBytes().length;
                    }
                }).get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IOException(e);
            } finally {
                other.shutdown();
            }
        }
    }

    /** On virtual threads (no lane: their bodies open in the map): one body closed, one leaked, per call. */
    static void virtualThreads(TestServer server, boolean secure) throws IOException {
        ExecutorService virtual = virtualThreads();
        try {
            virtual.submit(() -> {
                tryWithResources(open(server.url(secure, BIG)));
                leakInputStream(open(server.url(secure, BIG)));
                return null;
            }).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IOException(e);
        } finally {
            virtual.shutdown();
        }
    }

    /** A virtual thread per task (JDK 21 and later, called by reflection: this code compiles for 17). */
    private static ExecutorService virtualThreads() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            return Executors.newSingleThreadExecutor(); // JDK 17: a platform thread
        }
    }
}
