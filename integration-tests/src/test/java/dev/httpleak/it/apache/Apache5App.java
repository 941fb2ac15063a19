package dev.httpleak.it.apache;

import dev.httpleak.it.support.Steps;
import dev.httpleak.it.support.TestServer;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequests;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.fluent.Request;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.BasicHttpClientResponseHandler;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.io.ModalCloseable;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Scenarios for Apache HttpClient 5.x (classic, fluent, async), run in a forked JVM with one 5.x version on the
 * class path: {@code Apache5App SCENARIO:COUNT:SCHEME[+...]}. Each leaky scenario leaks from one marked line.
 */
public final class Apache5App {

    static final String BIG = "/bytes?n=1048576";
    private static final List<Object> KEPT = new ArrayList<>();

    /** {@code SCENARIO:COUNT:SCHEME[+SCENARIO:COUNT:SCHEME...]}: see {@link Steps}. */
    public static void main(String[] args) throws Exception {
        Steps.run(args[0], Apache5App::run);
    }

    private static void run(TestServer server, String scenario, int count, boolean secure) throws Exception {
        {
            String url = server.url(secure, BIG);
            switch (scenario) {
                case "leak": {
                    try (CloseableHttpClient client = client(50, 0)) {
                        for (int i = 0; i < count; i++) {
                            leak(client, url);
                        }
                    }
                    break;
                }
                case "fluentLeak": {
                    for (int i = 0; i < count; i++) {
                        fluentLeak(url);
                    }
                    break;
                }
                case "correct": {
                    // A pool of 2 for the classic calls: one forgotten body would make a later request wait.
                    try (CloseableHttpClient client = client(2, 0);
                         CloseableHttpAsyncClient async = HttpAsyncClients.createDefault()) {
                        async.start();
                        for (int i = 0; i < count; i++) {
                            correct(client, async, server, secure);
                        }
                    }
                    dropped(server.url(secure, "/bytes?n=1000"));
                    break;
                }
                case "discard": {
                    try (CloseableHttpClient client = client(50, 0)) {
                        for (int i = 0; i < count; i++) {
                            discard(client, url);
                        }
                    }
                    break;
                }
                case "exhaust": {
                    exhaust(server.url(secure, "/bytes?n=100000"));
                    break;
                }
                case "kept": {
                    CloseableHttpClient client = client(50, 0);
                    for (int i = 0; i < count; i++) {
                        kept(client, url);
                    }
                    break;
                }
                case "asyncStalled": {
                    CloseableHttpAsyncClient async = HttpAsyncClients.createDefault();
                    async.start();
                    CountDownLatch events = new CountDownLatch(3);
                    KEPT.add(asyncStalled(async, server.url(secure, "/events?n=600&ms=100"), events));
                    if (!events.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("no events");
                    }
                    // Still streaming: exit now, with the exchange in flight and its body open.
                    System.out.println("scenario " + scenario + " done");
                    System.exit(0);
                    break;
                }
                default:
                    throw new IllegalArgumentException(scenario);
            }
            System.out.println("scenario " + scenario + " done");
        }
    }

    static CloseableHttpClient client(int maxPerRoute, long connectionRequestTimeoutMillis) {
        PoolingHttpClientConnectionManager manager = new PoolingHttpClientConnectionManager();
        manager.setDefaultMaxPerRoute(maxPerRoute);
        manager.setMaxTotal(Math.max(25, maxPerRoute));
        RequestConfig.Builder config = RequestConfig.custom();
        if (connectionRequestTimeoutMillis > 0) {
            config.setConnectionRequestTimeout(Timeout.ofMilliseconds(connectionRequestTimeoutMillis));
        }
        return HttpClients.custom().setConnectionManager(manager).setDefaultRequestConfig(config.build()).build();
    }

    static void leak(CloseableHttpClient client, String url) throws IOException {
        CloseableHttpResponse response = client.execute(new HttpGet(url)); // site:leak
        if (response.getCode() != 200) {
            throw new IllegalStateException("status " + response.getCode());
        }
        response.getEntity().getContent().read();
        // Forgot response.close(): the connection stays leased for good.
    }

    static void fluentLeak(String url) throws IOException {
        Request.get(url).execute(); // site:fluentLeak
        // Neither returnContent() nor discardContent(): the connection stays leased.
    }

    static void correct(CloseableHttpClient client, CloseableHttpAsyncClient async, TestServer server, boolean secure)
            throws Exception {
        String big = server.url(secure, BIG);
        // 1. try-with-resources, reading the entity to its end.
        try (CloseableHttpResponse r = client.execute(new HttpGet(big))) {
            EntityUtils.toByteArray(r.getEntity());
        }
        // 2. EntityUtils.consume without close().
        CloseableHttpResponse consumed = client.execute(new HttpGet(server.url(secure, "/chunked?n=100000")));
        EntityUtils.consume(consumed.getEntity());
        // 3. The entity's stream closed after a partial read (the close reads the rest).
        CloseableHttpResponse streamed = client.execute(new HttpGet(big));
        try (InputStream in = streamed.getEntity().getContent()) {
            in.read();
        }
        // 4. Read to EOF, never closed.
        CloseableHttpResponse read = client.execute(new HttpGet(big));
        InputStream in = read.getEntity().getContent();
        byte[] buffer = new byte[8192];
        while (in.read(buffer) >= 0) {
            // EOF gives the connection back.
        }
        // 5. A response handler: the client consumes the entity itself.
        client.execute(new HttpGet(server.url(secure, "/bytes?n=1000")), new BasicHttpClientResponseHandler());
        // 6. An error status, its body consumed (500: 5.x retries a 503 by itself, which is a second response).
        try (CloseableHttpResponse err = client.execute(new HttpGet(server.url(secure, "/status?code=500&n=5000")))) {
            EntityUtils.consume(err.getEntity());
        }
        // 7, 8. Fluent: content returned, or discarded (which reads the rest).
        Request.get(big).execute().returnContent();
        Request.get(big).execute().discardContent();
        // 9. Async, body buffered by the client.
        SimpleHttpResponse response = async.execute(SimpleHttpRequests.get(server.url(secure, "/bytes?n=5000")), null)
                .get(30, TimeUnit.SECONDS);
        if (response.getCode() != 200) {
            throw new IllegalStateException("async status " + response.getCode());
        }
    }

    /** A client used correctly and then dropped without close(): its pool must not be kept alive. */
    static void dropped(String url) throws IOException {
        CloseableHttpClient client = client(3, 0);
        EntityUtils.consume(client.execute(new HttpGet(url)).getEntity());
    }

    static void discard(CloseableHttpClient client, String url) throws IOException {
        CloseableHttpResponse closed = client.execute(new HttpGet(url));
        closed.getEntity().getContent().read();
        // Closed before the end: the connection is closed, not reused. 5.2+ has close(IMMEDIATE) for that (its
        // plain close() reads the rest and keeps the connection); on 5.1 the plain close() closes the connection.
        Object any = closed; // final in 5.1, where it is not a ModalCloseable
        if (any instanceof ModalCloseable) {
            ((ModalCloseable) any).close(CloseMode.IMMEDIATE);
        } else {
            closed.close();
        }
        HttpGet cancelled = new HttpGet(url);
        CloseableHttpResponse response = client.execute(cancelled);
        response.getEntity().getContent().read();
        cancelled.cancel();
    }

    /** Two leaks in a pool of two, then a third request that can only time out waiting for a connection. */
    static void exhaust(String url) throws IOException {
        CloseableHttpClient client = client(2, 1000);
        for (int i = 0; i < 2; i++) {
            KEPT.add(holdConnection(client, url));
        }
        long before = System.currentTimeMillis();
        System.err.println("third request at " + before);
        try {
            client.execute(new HttpGet(url)).close();
            throw new IllegalStateException("the third request got a connection");
        } catch (IOException expected) {
            System.err.println("third request failed after " + (System.currentTimeMillis() - before) + " ms: "
                    + expected);
        }
        KEPT.clear(); // now the two are unreachable: leaked at exit
    }

    static CloseableHttpResponse holdConnection(CloseableHttpClient client, String url) throws IOException {
        return client.execute(new HttpGet(url)); // site:exhaust
    }

    static void kept(CloseableHttpClient client, String url) throws IOException {
        KEPT.add(client.execute(new HttpGet(url))); // site:kept
    }

    /** An async exchange whose consumer is still taking events when the JVM exits. */
    static Future<Void> asyncStalled(CloseableHttpAsyncClient async, String url, CountDownLatch events) {
        AbstractBinResponseConsumer<Void> consumer = new AbstractBinResponseConsumer<Void>() {
            @Override
            protected void start(HttpResponse response, ContentType contentType) {
            }

            @Override
            protected int capacityIncrement() {
                return 4096;
            }

            @Override
            protected void data(ByteBuffer data, boolean endOfStream) {
                events.countDown();
            }

            @Override
            protected Void buildResult() {
                return null;
            }

            @Override
            public void releaseResources() {
            }
        };
        BasicRequestProducer request = new BasicRequestProducer("GET", URI.create(url), null);
        return async.execute(request, consumer, (FutureCallback<Void>) null); // site:asyncStalled
    }
}
