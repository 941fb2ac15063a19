package dev.httpleak.bench;

import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One keep-alive GET of a small body per operation, read to the end and closed the way each client's
 * documentation says: correct code, so every operation opens and closes one tracked body. Each client has its own
 * state, so a fork sets up only the client it measures. Run by {@link Overhead}, which starts each benchmark in
 * forks without the agent, with its default options and with {@code stacks=all}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Get {

    /** Enough connections for every benchmark thread, so no client ever waits for its pool. */
    static final int CONNECTIONS = 32;

    /**
     * Busy work added to each urlconnection request, in nanoseconds ({@code -Dhttpleak.bench.workNanos}, default 0):
     * the calibration forks of {@link Overhead} run without the agent and spend this much CPU where the agent's end
     * hooks run, to show what a known cost per request does to the throughput of this machine.
     */
    static final long WORK_NANOS = Long.getLong("httpleak.bench.workNanos", 0);

    /** The local responder, one per fork. */
    @State(Scope.Benchmark)
    public static class Server {
        Responder responder;
        String url;

        @Setup(Level.Trial)
        public void start() throws IOException {
            responder = new Responder();
            url = responder.url();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            responder.close();
            if (Responder.accepted.get() > 2 * CONNECTIONS) {
                System.err.println("warning: " + Responder.accepted.get() + " connections for one trial; the client "
                        + "did not keep them alive, so this measures connecting, not the agent");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Jdk {
        HttpClient client;
        HttpRequest request;

        @Setup(Level.Trial)
        public void start(Server server) {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            request = HttpRequest.newBuilder(URI.create(server.url)).GET().build();
        }
    }

    @State(Scope.Benchmark)
    public static class UrlConnection {
        URL url;

        @Setup(Level.Trial)
        public void start(Server server) throws IOException {
            url = URI.create(server.url).toURL();
        }
    }

    @State(Scope.Benchmark)
    public static class Apache4 {
        org.apache.http.impl.client.CloseableHttpClient client;
        String url;

        @Setup(Level.Trial)
        public void start(Server server) {
            PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
            pool.setMaxTotal(CONNECTIONS);
            pool.setDefaultMaxPerRoute(CONNECTIONS);
            client = org.apache.http.impl.client.HttpClients.custom().setConnectionManager(pool).build();
            url = server.url;
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            client.close();
        }
    }

    @State(Scope.Benchmark)
    public static class Apache5 {
        org.apache.hc.client5.http.impl.classic.CloseableHttpClient client;
        String url;

        @Setup(Level.Trial)
        public void start(Server server) {
            client = HttpClients.custom().setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnTotal(CONNECTIONS).setMaxConnPerRoute(CONNECTIONS).build()).build();
            url = server.url;
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            client.close();
        }
    }

    @State(Scope.Benchmark)
    public static class OkHttp {
        OkHttpClient client;
        Request request;

        @Setup(Level.Trial)
        public void start(Server server) {
            client = new OkHttpClient.Builder()
                    .connectionPool(new ConnectionPool(CONNECTIONS, 5, TimeUnit.MINUTES)).build();
            request = new Request.Builder().url(server.url).build();
        }

        @TearDown(Level.Trial)
        public void stop() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Benchmark
    public int jdkHttpClient(Jdk jdk) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = jdk.client.send(jdk.request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            return body.readAllBytes().length;
        }
    }

    @Benchmark
    public int urlConnection(UrlConnection state) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) state.url.openConnection();
        try (InputStream body = connection.getInputStream()) {
            int length = body.readAllBytes().length;
            if (WORK_NANOS > 0) {
                work(WORK_NANOS);
            }
            return length;
        }
    }

    /** Spins for about {@code nanos} (a clock read costs some 20 ns). */
    private static void work(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            // The clock read is the work.
        }
    }

    @Benchmark
    public int apacheHttpClient4(Apache4 apache) throws IOException {
        try (CloseableHttpResponse response = apache.client.execute(
                new org.apache.http.client.methods.HttpGet(apache.url))) {
            return EntityUtils.toByteArray(response.getEntity()).length;
        }
    }

    @Benchmark
    public int apacheHttpClient5(Apache5 apache) throws IOException {
        return apache.client.execute(new HttpGet(apache.url),
                response -> org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(response.getEntity()).length);
    }

    @Benchmark
    public int okhttp(OkHttp ok) throws IOException {
        try (Response response = ok.client.newCall(ok.request).execute()) {
            return response.body().bytes().length;
        }
    }
}
