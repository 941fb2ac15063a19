package dev.httpleak.it.apache;

import dev.httpleak.it.support.Steps;
import dev.httpleak.it.support.TestServer;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.BasicResponseHandler;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenarios for Apache HttpClient 4.5.x, run in a forked JVM with one 4.5 version on the class path:
 * {@code Apache4App SCENARIO:COUNT:SCHEME[+...]}. Each leaky scenario leaks from one marked line.
 */
public final class Apache4App {

    /** 1 MiB: a body that is still mostly unread when a leaky caller walks away. */
    static final String BIG = "/bytes?n=1048576";
    private static final List<Object> KEPT = new ArrayList<>();

    /** {@code SCENARIO:COUNT:SCHEME[+SCENARIO:COUNT:SCHEME...]}: see {@link Steps}. */
    public static void main(String[] args) throws Exception {
        Steps.run(args[0], Apache4App::run);
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
                case "correct": {
                    // Every style that gives the connection back, through one pool of 2: a single forgotten
                    // body would make a later request wait forever, so this also proves reuse.
                    try (CloseableHttpClient client = client(2, 0)) {
                        for (int i = 0; i < count; i++) {
                            correct(client, server, secure);
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
                default:
                    throw new IllegalArgumentException(scenario);
            }
            System.out.println("scenario " + scenario + " done");
        }
    }

    static CloseableHttpClient client(int maxPerRoute, int connectionRequestTimeoutMillis) {
        PoolingHttpClientConnectionManager manager = new PoolingHttpClientConnectionManager();
        manager.setDefaultMaxPerRoute(maxPerRoute);
        manager.setMaxTotal(Math.max(20, maxPerRoute));
        RequestConfig.Builder config = RequestConfig.custom();
        if (connectionRequestTimeoutMillis > 0) {
            config.setConnectionRequestTimeout(connectionRequestTimeoutMillis);
        }
        return HttpClients.custom().setConnectionManager(manager).setDefaultRequestConfig(config.build()).build();
    }

    static void leak(CloseableHttpClient client, String url) throws IOException {
        CloseableHttpResponse response = client.execute(new HttpGet(url)); // site:leak
        if (response.getStatusLine().getStatusCode() != 200) {
            throw new IllegalStateException("status " + response.getStatusLine());
        }
        response.getEntity().getContent().read();
        // Forgot response.close(): the connection stays leased for good.
    }

    static void correct(CloseableHttpClient client, TestServer server, boolean secure) throws IOException {
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
        client.execute(new HttpGet(server.url(secure, "/bytes?n=1000")), new BasicResponseHandler());
        // 6. An error status, its body consumed.
        try (CloseableHttpResponse err = client.execute(new HttpGet(server.url(secure, "/status?code=503&n=5000")))) {
            HttpEntity entity = err.getEntity();
            EntityUtils.consume(entity);
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
        closed.close(); // closed before the end: the connection is closed, not reused
        HttpGet aborted = new HttpGet(url);
        CloseableHttpResponse response = client.execute(aborted);
        response.getEntity().getContent().read();
        aborted.abort();
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
}
