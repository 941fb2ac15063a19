package dev.httpleak.it.okhttp;

import dev.httpleak.it.support.TestServer;
import okhttp3.Cache;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.logging.HttpLoggingInterceptor;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import retrofit2.Retrofit;
import retrofit2.http.GET;
import retrofit2.http.Query;
import retrofit2.http.Streaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * OkHttp scenarios, run in a forked JVM with one OkHttp version on the class path (compiled against 3.14.9,
 * the oldest supported API, which 4.x and 5.x keep): {@code OkHttpApp RUN}. Each run combines several
 * scenarios; each leaky one leaks from its own marked line, so the report names every site with its count.
 */
public final class OkHttpApp {

    /** 1 MiB: big enough that an unclosed body holds its connection. */
    static final String BIG = "/bytes?n=1048576";
    /** A stream the server sends slowly (20 events, 200 ms apart): OkHttp cannot skip the rest on close. */
    static final String SLOW = "/events?n=20&ms=200";

    static final int LEAK_EXECUTE = 2;
    static final int LEAK_ENQUEUE = 3;
    static final int LEAK_INTERCEPTOR = 4;
    static final int LEAK_GZIP = 2;
    static final int LEAK_LOGGED = 3;
    static final int LEAK_CACHED = 2;
    static final int LEAK_RETROFIT = 2;
    static final int LEAK_RETROFIT_ASYNC = 2;
    static final int CORRECT_EACH = 2;
    static final int CORRECT_STYLES = 10;
    /** Bodies opened by {@link #correctThroughGzipLoggingAndCache}: the cache hit opens none. */
    static final int CORRECT_EXTRAS = 3;
    static final int DISCARDED = 2;
    static final int CANCELLED = 2;
    static final int QUEUED = 4;
    static final int PER_HOST = 2;
    static final int OVERALL = 2;
    static final int QUEUED_OVERALL = 3;
    static final int KEPT = 3;

    private static final List<Object> KEPT_OBJECTS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        try (TestServer server = TestServer.start()) {
            OkHttpClient client = new OkHttpClient();
            switch (args[0]) {
                case "leaks": leaks(client, server); break;
                case "correct": correct(client, server); break;
                case "discards": discards(client, server); http2(args[1]); break;
                case "streams": streams(client, server); break;
                default: throw new IllegalArgumentException(args[0]);
            }
            System.out.println("run " + args[0] + " done");
            System.out.flush();
            // Dispatcher threads are not daemons, and the "streams" run keeps bodies open on purpose.
            System.exit(0);
        }
    }

    // ---- leaks --------------------------------------------------------------------------------------------

    static void leaks(OkHttpClient client, TestServer server) throws Exception {
        for (int i = 0; i < LEAK_EXECUTE; i++) {
            leakExecute(ownPool(client), server.url(false, BIG));
        }
        CountDownLatch answered = new CountDownLatch(LEAK_ENQUEUE);
        for (int i = 0; i < LEAK_ENQUEUE; i++) {
            leakEnqueue(ownPool(client), server.url(i % 2 == 1, BIG), answered);
        }
        if (!answered.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("async calls did not answer");
        }
        OkHttpClient intercepted = withInterceptors(client);
        for (int i = 0; i < LEAK_INTERCEPTOR; i++) {
            leakThroughInterceptors(ownPool(intercepted), server.url(false, "/chunked?n=1048576"));
        }
        for (int i = 0; i < LEAK_RETROFIT; i++) {
            leakRetrofit(retrofit(ownPool(client), server));
        }
        CountDownLatch retrofitAnswered = new CountDownLatch(LEAK_RETROFIT_ASYNC);
        for (int i = 0; i < LEAK_RETROFIT_ASYNC; i++) {
            leakRetrofitAsync(retrofit(ownPool(client), server), retrofitAnswered);
        }
        if (!retrofitAnswered.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Retrofit calls did not answer");
        }
        try (GzipServer gzip = new GzipServer()) {
            for (int i = 0; i < LEAK_GZIP; i++) {
                leakGzip(ownPool(client), gzip.url("/gzip?n=1048576"));
            }
            OkHttpClient logged = client.newBuilder().addInterceptor(logging(HttpLoggingInterceptor.Level.HEADERS))
                    .build();
            for (int i = 0; i < LEAK_LOGGED; i++) {
                leakLogged(ownPool(logged), server.url(false, BIG));
            }
            OkHttpClient cached = client.newBuilder().cache(cache()).build();
            for (int i = 0; i < LEAK_CACHED; i++) {
                leakCached(ownPool(cached), gzip.url("/cached" + i + "?n=1048576"));
            }
        }
    }

    /**
     * A Retrofit service (a dynamic proxy over OkHttp): its frames are library frames, the site is ours.
     * {@code @Streaming} hands out OkHttp's body itself (without it Retrofit reads and closes it).
     */
    interface Api {
        @Streaming
        @GET("bytes")
        retrofit2.Call<ResponseBody> bytes(@Query("n") int n);
    }

    static void leakRetrofit(Api api) throws IOException {
        retrofit2.Response<ResponseBody> response = api.bytes(1 << 20).execute(); // site:leakRetrofit
        response.body().source().readByte();
    }

    static void leakRetrofitAsync(Api api, CountDownLatch answered) {
        api.bytes(1 << 20).enqueue(new retrofit2.Callback<ResponseBody>() { // site:leakRetrofitAsync
            @Override
            public void onResponse(retrofit2.Call<ResponseBody> call, retrofit2.Response<ResponseBody> response) {
                answered.countDown(); // never closes response.body()
            }

            @Override
            public void onFailure(retrofit2.Call<ResponseBody> call, Throwable t) {
                t.printStackTrace();
                answered.countDown();
            }
        });
    }

    /** OkHttp asked for gzip and decodes it: the user holds a GzipSource over OkHttp's body. */
    static void leakGzip(OkHttpClient client, String url) throws IOException {
        Response response = client.newCall(get(url)).execute(); // site:leakGzip
        response.body().source().readByte();
    }

    /** HttpLoggingInterceptor at HEADERS leaves the body to the caller. */
    static void leakLogged(OkHttpClient client, String url) throws IOException {
        Response response = client.newCall(get(url)).execute(); // site:leakLogged
        response.body().source().readByte();
    }

    /** A cacheable response: the cache tees the body the caller reads (and never closes). */
    static void leakCached(OkHttpClient client, String url) throws IOException {
        Response response = client.newCall(get(url)).execute(); // site:leakCached
        response.body().source().readByte();
    }

    static void leakExecute(OkHttpClient client, String url) throws IOException {
        Response response = client.newCall(get(url)).execute(); // site:leakExecute
        if (response.code() != 200) {
            throw new IllegalStateException("status " + response.code());
        }
    }

    static void leakEnqueue(OkHttpClient client, String url, CountDownLatch answered) {
        client.newCall(get(url)).enqueue(new Callback() { // site:leakEnqueue
            @Override
            public void onFailure(Call call, IOException e) {
                e.printStackTrace();
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
                response.body().source().readByte(); // reads a little, never closes
                answered.countDown();
            }
        });
    }

    static void leakThroughInterceptors(OkHttpClient client, String url) throws IOException {
        Response response = client.newCall(get(url)).execute(); // site:leakInterceptor
        response.body().source().readByte();
    }

    // ---- correct code -------------------------------------------------------------------------------------

    /** Every style of closing, {@link #CORRECT_EACH} times each: {@link #CORRECT_STYLES} styles. */
    static void correct(OkHttpClient client, TestServer server) throws Exception {
        OkHttpClient intercepted = withInterceptors(client);
        for (int i = 0; i < CORRECT_EACH; i++) {
            boolean secure = i % 2 == 1;
            try (Response r = client.newCall(get(server.url(secure, "/bytes?n=100"))).execute()) {
                r.code(); // closed unread: OkHttp skips the few bytes left and reuses the connection
            }
            try (Response r = client.newCall(get(server.url(secure, BIG))).execute()) {
                r.body().string();
            }
            Response r = client.newCall(get(server.url(secure, "/chunked?n=1000"))).execute();
            r.body().close();
            Response read = client.newCall(get(server.url(secure, "/lines?n=1000"))).execute();
            BufferedSource source = read.body().source();
            while (source.readUtf8Line() != null) {
                // read to the end without closing: that frees the connection too
            }
            try (Response empty = client.newCall(get(server.url(secure, "/bytes?n=0"))).execute()) {
                empty.code();
            }
            // Empty bodies dropped unclosed: complete as they open, so they hold no connection.
            client.newCall(get(server.url(secure, "/bytes?n=0"))).execute().code();
            client.newCall(get(server.url(secure, "/status?code=204&n=0"))).execute().code();
            try (Response rewrapped = intercepted.newCall(get(server.url(secure, BIG))).execute()) {
                rewrapped.body().bytes();
            }
            Response status = client.newCall(get(server.url(secure, "/status?code=404&n=10"))).execute();
            status.close();
            asyncClosed(client, server.url(secure, BIG));
        }
        correctThroughGzipLoggingAndCache(client);
    }

    static void correctThroughGzipLoggingAndCache(OkHttpClient client) throws IOException {
        try (GzipServer gzip = new GzipServer()) {
            Response zipped = client.newCall(get(gzip.url("/gzip?n=100000"))).execute();
            zipped.body().source().readByteArray(); // decoded to its end: OkHttp's body ended too
            // At BODY level the logging interceptor reads the whole body itself: the connection is free at once,
            // so even a response never closed afterwards holds nothing.
            OkHttpClient logged = client.newBuilder().addInterceptor(logging(HttpLoggingInterceptor.Level.BODY))
                    .build();
            Response response = logged.newCall(get(gzip.url("/logged?n=100000"))).execute();
            response.code();
            OkHttpClient cached = client.newBuilder().cache(cache()).build();
            for (int i = 0; i < 2; i++) { // from the network, then from the cache (no connection, no body)
                try (Response r = cached.newCall(get(gzip.url("/cached?n=100000"))).execute()) {
                    r.body().bytes();
                }
            }
        }
    }

    static void asyncClosed(OkHttpClient client, String url) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        client.newCall(get(url)).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.countDown();
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (ResponseBody body = response.body()) {
                    body.bytes();
                } finally {
                    done.countDown();
                }
            }
        });
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("async call did not answer");
        }
    }

    // ---- discarded and cancelled --------------------------------------------------------------------------

    static void discards(OkHttpClient client, TestServer server) throws IOException {
        for (int i = 0; i < DISCARDED; i++) {
            try (Response r = client.newCall(get(server.url(false, SLOW))).execute()) {
                r.body().source().readByte(); // the rest comes too slowly to skip: the connection is dropped
            }
        }
        for (int i = 0; i < CANCELLED; i++) {
            Call call = client.newCall(get(server.url(false, BIG)));
            Response r = call.execute();
            r.body().source().readByte();
            call.cancel(); // counts as closed, though the response is never closed
        }
    }

    // ---- HTTP/2 -------------------------------------------------------------------------------------------------

    static final int H2_KEPT = 2;

    /**
     * Four calls on one HTTP/2 connection: two bodies kept open (the connection is in use and says HTTP/2), one
     * closed early (only its stream is reset, so it is not discarded), one read fully.
     */
    static void http2(String serverDir) throws Exception {
        try (H2Server h2 = new H2Server(serverDir, 2 + H2_KEPT, 1 << 20)) {
            OkHttpClient client = new OkHttpClient.Builder()
                    .protocols(java.util.Collections.singletonList(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)).build();
            for (int i = 0; i < H2_KEPT; i++) {
                Response kept = client.newCall(get(h2.url("/kept"))).execute(); // site:h2kept
                kept.body().source().readByte();
                KEPT_OBJECTS.add(kept);
            }
            try (Response early = client.newCall(get(h2.url("/early"))).execute()) {
                early.body().source().readByte();
            }
            try (Response full = client.newCall(get(h2.url("/full"))).execute()) {
                full.body().string();
            }
            System.out.println("http2 protocol: " + ((Response) KEPT_OBJECTS.get(0)).protocol());
        }
    }

    // ---- long-lived streams, dispatcher queueing, bodies kept open -------------------------------------------

    static void streams(OkHttpClient client, TestServer server) throws Exception {
        for (int i = 0; i < KEPT; i++) {
            kept(client, server.url(false, BIG)); // first, so that they are old (suspects) at exit
        }
        serverSentEvents(client, server.url(false, "/events?n=1000&ms=100"));
        queued(client, server.url(false, "/events?n=10&ms=100"));
        queuedOverall(client, server.url(false, "/events?n=10&ms=100"), server.url(true, "/events?n=10&ms=100"));
    }

    /** An event stream held open for about two seconds, through several GCs, then cancelled by the client. */
    static void serverSentEvents(OkHttpClient client, String url) throws InterruptedException {
        CountDownLatch events = new CountDownLatch(15);
        CountDownLatch closed = new CountDownLatch(1);
        EventSource source = EventSources.createFactory(client).newEventSource(get(url), new EventSourceListener() {
            @Override
            public void onEvent(EventSource eventSource, String id, String type, String data) {
                events.countDown();
                if (events.getCount() % 5 == 0) {
                    System.gc(); // the stream is reachable: a GC must not make it a leak
                }
            }

            @Override
            public void onClosed(EventSource eventSource) {
                closed.countDown();
            }

            @Override
            public void onFailure(EventSource eventSource, Throwable t, Response response) {
                closed.countDown();
            }
        });
        if (!events.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no events");
        }
        source.cancel();
        if (!closed.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("event source did not close");
        }
    }

    /** More async calls than {@code maxRequestsPerHost}: the dispatcher queues the rest. */
    static void queued(OkHttpClient client, String url) throws InterruptedException {
        awaitIdle(client);
        client.dispatcher().setMaxRequestsPerHost(PER_HOST);
        CountDownLatch done = new CountDownLatch(QUEUED);
        for (int i = 0; i < QUEUED; i++) {
            client.newCall(get(url)).enqueue(readAndClose(done)); // site:queued
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("queued calls did not finish");
        }
    }

    /**
     * More async calls than {@code maxRequests}: the last, to another route (so that its exhaustion is not within
     * a second of the per-host one), waits though its host has room.
     */
    static void queuedOverall(OkHttpClient client, String url, String otherRoute) throws InterruptedException {
        awaitIdle(client);
        client.dispatcher().setMaxRequestsPerHost(5);
        client.dispatcher().setMaxRequests(OVERALL);
        CountDownLatch done = new CountDownLatch(QUEUED_OVERALL);
        for (int i = 0; i < QUEUED_OVERALL; i++) {
            client.newCall(get(i == QUEUED_OVERALL - 1 ? otherRoute : url)).enqueue(readAndClose(done)); // site:queuedOverall
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("queued calls did not finish");
        }
    }

    private static void awaitIdle(OkHttpClient client) throws InterruptedException {
        for (int i = 0; i < 1000 && client.dispatcher().runningCallsCount() > 0; i++) {
            Thread.sleep(10); // an async call ends just after its last callback returns
        }
    }

    private static Callback readAndClose(CountDownLatch done) {
        return new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.countDown();
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (Response r = response) {
                    r.body().string(); // a slow stream: the call runs for about a second
                } finally {
                    done.countDown();
                }
            }
        };
    }

    static void kept(OkHttpClient client, String url) throws IOException {
        Response response = client.newCall(get(url)).execute(); // site:kept
        KEPT_OBJECTS.add(response);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static HttpLoggingInterceptor logging(HttpLoggingInterceptor.Level level) {
        return new HttpLoggingInterceptor(message -> { }).setLevel(level);
    }

    /** A cache in a directory of its own, deleted when this JVM exits. */
    static Cache cache() throws IOException {
        Path dir = Files.createTempDirectory("okhttp-cache");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // Left behind in the temporary directory.
            }
        }));
        return new Cache(dir.toFile(), 50L << 20);
    }

    /**
     * The same client with a connection pool of its own, for one leaky call. OkHttp 5 no longer marks a
     * connection it finds leaked as unusable: it makes it idle, and until its cleanup evicts it the next call may
     * get it, unread bytes and all ("Unexpected status line"). One pool per leaked call keeps the scenarios
     * independent of that.
     */
    static OkHttpClient ownPool(OkHttpClient client) {
        return client.newBuilder().connectionPool(new ConnectionPool()).build();
    }

    static Api retrofit(OkHttpClient client, TestServer server) {
        return new Retrofit.Builder().baseUrl(server.base(false) + "/").client(client).build().create(Api.class);
    }

    static Request get(String url) {
        return new Request.Builder().url(url).build();
    }

    /** An application interceptor that rebuilds the response and a network one that re-wraps the body. */
    static OkHttpClient withInterceptors(OkHttpClient client) {
        return client.newBuilder().addInterceptor(new Tagging()).addNetworkInterceptor(new Rewrapping()).build();
    }

    static final class Tagging implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Request tagged = chain.request().newBuilder().header("X-Scenario", "interceptors").build();
            Response response = chain.proceed(tagged);
            return response.newBuilder().header("X-Seen", "yes").build();
        }
    }

    static final class Rewrapping implements Interceptor {
        @Override
        public Response intercept(Chain chain) throws IOException {
            Response response = chain.proceed(chain.request());
            return response.newBuilder().body(new Wrapped(response.body())).build();
        }
    }

    /** A body whose source forwards to OkHttp's: what logging or metrics interceptors do. */
    static final class Wrapped extends ResponseBody {
        private final ResponseBody inner;
        private final BufferedSource source;

        Wrapped(ResponseBody inner) {
            this.inner = inner;
            this.source = Okio.buffer(new ForwardingSource(inner.source()) {
            });
        }

        @Override
        public MediaType contentType() {
            return inner.contentType();
        }

        @Override
        public long contentLength() {
            return inner.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }
    }
}
