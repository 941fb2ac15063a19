package dev.httpleak.it.jdkhttpclient;

import dev.httpleak.it.support.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * Scenarios for {@code java.net.http.HttpClient}, run in a forked JVM:
 * {@code JdkHttpClientApp SCENARIO COUNT http|https}. Each leaky scenario leaks from one marked line.
 */
public final class JdkHttpClientApp {

    static final String BIG = "/bytes?n=1048576";
    private static final List<Object> KEPT = new ArrayList<>();

    private final HttpClient client;
    private final TestServer server;
    private final boolean secure;

    private JdkHttpClientApp(HttpClient client, TestServer server, boolean secure) {
        this.client = client;
        this.server = server;
        this.secure = secure;
    }

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        int count = Integer.parseInt(args[1]);
        boolean secure = "https".equals(args[2]);
        TestServer server = TestServer.start();
        JdkHttpClientApp app = new JdkHttpClientApp(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), server, secure);
        for (int i = 0; i < count; i++) {
            app.run(scenario);
        }
        System.out.println("scenario " + scenario + " done");
        // Exit with the server up, as a service would: stopping it closes the connections of the bodies left
        // unread, the client then ends them (an error on the stream), and the exit report raced that to find
        // them leaked or kept (lost now and then on JDK 25).
        System.exit(0);
    }

    private void run(String scenario) throws Exception {
        switch (scenario) {
            case "leakInputStream": leakInputStream(); break;
            case "leakOnStatus": leakOnStatus(); break;
            case "leakLines": leakLines(); break;
            case "leakPublisher": leakPublisher(); break;
            case "leakAsync": leakAsync(); break;
            case "keepBodyDropResponse": keepBodyDropResponse(); break;
            case "keepResponse": keepResponse(); break;
            case "readToEnd": readToEnd(); break;
            case "tryWithResources": tryWithResources(); break;
            case "statusOnlyClosed": statusOnlyClosed(); break;
            case "linesClosed": linesClosed(); break;
            case "publisherConsumed": publisherConsumed(); break;
            case "asyncClosed": asyncClosed(); break;
            case "ofString": ofString(); break;
            case "closedEarly": closedEarly(); break;
            default: throw new IllegalArgumentException(scenario);
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(server.url(secure, path))).build();
    }

    void leakInputStream() throws Exception {
        HttpResponse<InputStream> r = client.send(get(BIG), BodyHandlers.ofInputStream()); // site:leakInputStream
        r.body().read();
    }

    int leakOnStatus() throws Exception {
        HttpResponse<InputStream> r = client.send(get("/status?code=503&n=1048576"), BodyHandlers.ofInputStream()); // site:leakOnStatus
        if (r.statusCode() != 200) {
            return -1; // forgot the body
        }
        try (InputStream in = r.body()) {
            return in.read();
        }
    }

    String leakLines() throws Exception {
        HttpResponse<Stream<String>> r = client.send(get("/lines?n=200000"), BodyHandlers.ofLines()); // site:leakLines
        return r.body().findFirst().orElse(null); // a terminal operation that stops early does not close
    }

    void leakPublisher() throws Exception {
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> r = client.send(get(BIG), BodyHandlers.ofPublisher()); // site:leakPublisher
        r.statusCode(); // never subscribed
    }

    void leakAsync() throws Exception {
        CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(get(BIG), BodyHandlers.ofInputStream()); // site:leakAsync
        f.thenAccept(r -> System.out.println("status " + r.statusCode())).join();
    }

    void keepBodyDropResponse() throws Exception {
        HttpResponse<InputStream> r = client.send(get(BIG), BodyHandlers.ofInputStream()); // site:keepBodyDropResponse
        KEPT.add(r.body());
    }

    void keepResponse() throws Exception {
        KEPT.add(client.send(get(BIG), BodyHandlers.ofInputStream())); // site:keepResponse
    }

    void readToEnd() throws Exception {
        InputStream in = client.send(get("/chunked?n=100000"), BodyHandlers.ofInputStream()).body();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // to the end, never closed
        }
    }

    void tryWithResources() throws Exception {
        try (InputStream in = client.send(get(BIG), BodyHandlers.ofInputStream()).body()) {
            in.readAllBytes();
        }
    }

    void statusOnlyClosed() throws Exception {
        HttpResponse<InputStream> r = client.send(get("/status?code=404&n=100"), BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            r.body().close();
        }
    }

    void linesClosed() throws Exception {
        try (Stream<String> lines = client.send(get("/lines?n=200000"), BodyHandlers.ofLines()).body()) {
            Iterator<String> it = lines.iterator();
            it.next();
        }
    }

    void publisherConsumed() throws Exception {
        Flow.Publisher<List<ByteBuffer>> p = client.send(get(BIG), BodyHandlers.ofPublisher()).body();
        CompletableFuture<Long> done = new CompletableFuture<>();
        p.subscribe(new Flow.Subscriber<List<ByteBuffer>>() {
            long bytes;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                item.forEach(b -> bytes += b.remaining());
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(bytes);
            }
        });
        done.join();
    }

    void asyncClosed() {
        client.sendAsync(get(BIG), BodyHandlers.ofInputStream()).thenAccept(r -> {
            try (InputStream in = r.body()) {
                in.readAllBytes();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).join();
    }

    void ofString() throws Exception {
        client.send(get("/bytes?n=1000"), BodyHandlers.ofString()).body();
    }

    void closedEarly() throws Exception {
        try (InputStream in = client.send(get(BIG), BodyHandlers.ofInputStream()).body()) {
            in.read();
        }
    }
}
