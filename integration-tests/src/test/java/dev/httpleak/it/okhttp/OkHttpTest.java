package dev.httpleak.it.okhttp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Sites;
import dev.httpleak.it.support.Woven;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.httpleak.it.support.Reports.assertCounts;
import static dev.httpleak.it.support.Reports.assertOnlyLeakSite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code okhttp}: OkHttp 3.14.9, the newest 4.x and the newest 5.x ({@code okhttp-jvm}), each in its own forked
 * JVM on JDK 17 and 25, against a real local HTTP/HTTPS server. Each run combines scenarios of {@link OkHttpApp}.
 */
class OkHttpTest {

    private static final String CLIENT = "okhttp";

    /** The folders of OkHttp jars the build prepared, one per version: okhttp-3.14.9, okhttp-4.x, okhttp-5.x. */
    static List<Path> versions() throws IOException {
        Path clients = Paths.get(System.getProperty("httpleak.clients"));
        List<Path> dirs;
        try (Stream<Path> list = Files.list(clients)) {
            dirs = list.filter(p -> p.getFileName().toString().startsWith("okhttp-")).sorted()
                    .collect(Collectors.toList());
        }
        assertEquals(3, dirs.size(), () -> "expected OkHttp 3, 4 and 5 under " + clients + ": " + dirs);
        return dirs;
    }

    static Stream<Arguments> jdksAndVersions() throws IOException {
        return jdksAnd(versions());
    }

    /** Each JDK with each of these version folders (by name). */
    static Stream<Arguments> jdksAnd(List<Path> versions) {
        List<Arguments> list = new ArrayList<>();
        for (Jdks.Jdk jdk : Jdks.all()) {
            for (Path version : versions) {
                list.add(Arguments.of(jdk, version.getFileName().toString()));
            }
        }
        return list.stream();
    }

    static String[] jars(String version) throws IOException {
        try (Stream<Path> list = Files.list(Paths.get(System.getProperty("httpleak.clients"), version))) {
            return list.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toArray(String[]::new);
        }
    }

    private static Forked.Result run(Jdks.Jdk jdk, String version, String scenario, String options) throws Exception {
        return Forked.run(jdk, OkHttpApp.class).classpath(jars(version)).agentOptions(options).args(scenario).go().ok();
    }

    private static long leakedAt(JsonNode report, String site) {
        for (JsonNode s : report.get("leakSites")) {
            if (s.get("site").asText().equals(site)) {
                assertEquals(CLIENT, s.get("client").asText());
                return s.get("leaked").asLong();
            }
        }
        return 0;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void leaksViaExecuteEnqueueAndInterceptorsAreCountedAtTheirSites(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "leaks", "").report();
        long n = OkHttpApp.LEAK_EXECUTE + OkHttpApp.LEAK_ENQUEUE + OkHttpApp.LEAK_INTERCEPTOR + OkHttpApp.LEAK_GZIP
                + OkHttpApp.LEAK_LOGGED + OkHttpApp.LEAK_CACHED + OkHttpApp.LEAK_RETROFIT + OkHttpApp.LEAK_RETROFIT_ASYNC;
        assertCounts(report, CLIENT, n, 0, n, 0, 0);
        assertEquals(8, report.get("leakSites").size(), () -> report.get("leakSites").toPrettyString());
        assertEquals(OkHttpApp.LEAK_EXECUTE, leakedAt(report, Sites.of(OkHttpApp.class, "leakExecute", "leakExecute")));
        // Async bodies open on a dispatcher thread; the site is where enqueue was called.
        assertEquals(OkHttpApp.LEAK_ENQUEUE, leakedAt(report, Sites.of(OkHttpApp.class, "leakEnqueue", "leakEnqueue")));
        // Interceptors are user code too, but the body is blamed on the call's caller, not on them.
        assertEquals(OkHttpApp.LEAK_INTERCEPTOR,
                leakedAt(report, Sites.of(OkHttpApp.class, "leakThroughInterceptors", "leakInterceptor")));
        // Retrofit (a proxy, its call adapters, OkHttp's dispatcher for enqueue) is skipped: the site is the caller's.
        assertEquals(OkHttpApp.LEAK_RETROFIT, leakedAt(report, Sites.of(OkHttpApp.class, "leakRetrofit", "leakRetrofit")));
        assertEquals(OkHttpApp.LEAK_RETROFIT_ASYNC,
                leakedAt(report, Sites.of(OkHttpApp.class, "leakRetrofitAsync", "leakRetrofitAsync")));
        // Transparent gzip, HttpLoggingInterceptor (HEADERS) and the cache all wrap the body; each leak counts once.
        assertEquals(OkHttpApp.LEAK_GZIP, leakedAt(report, Sites.of(OkHttpApp.class, "leakGzip", "leakGzip")));
        assertEquals(OkHttpApp.LEAK_LOGGED, leakedAt(report, Sites.of(OkHttpApp.class, "leakLogged", "leakLogged")));
        assertEquals(OkHttpApp.LEAK_CACHED, leakedAt(report, Sites.of(OkHttpApp.class, "leakCached", "leakCached")));
        for (JsonNode s : report.get("leakSites")) {
            assertTrue(s.get("example").asText().startsWith("GET http"), s.toString());
            assertEquals(200, s.get("status").asInt());
            assertTrue(s.get("stack").size() > 0, s.toString());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void correctCodeInEveryStyleLeavesNothingOpen(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "correct", "").report();
        long n = (long) OkHttpApp.CORRECT_EACH * OkHttpApp.CORRECT_STYLES + OkHttpApp.CORRECT_EXTRAS;
        assertCounts(report, CLIENT, n, n, 0, 0, 0);
        assertTrue(report.get("leakSites").isEmpty());
        // Connections went back to the pool: rows show idle connections, none in use.
        boolean idle = false;
        for (JsonNode row : report.get("pools")) {
            if (CLIENT.equals(row.get("client").asText())) {
                assertEquals(0, row.get("leased").asInt(), row.toString());
                assertTrue(row.get("max").isNull(), row.toString());
                assertEquals(0, row.get("http2").asInt(), row.toString());
                idle |= row.get("idle").asInt() > 0;
            }
        }
        assertTrue(idle, () -> "no idle OkHttp connection in " + report.get("pools").toPrettyString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void earlyCloseDiscardsOnHttp1NotOnHttp2AndCancellingCloses(Jdks.Jdk jdk, String version) throws Exception {
        String h2server = Paths.get(System.getProperty("httpleak.clients"), "h2server-okhttp-mockwebserver3").toString();
        Forked.Result result = Forked.run(jdk, OkHttpApp.class).classpath(jars(version)).args("discards", h2server)
                .go().ok();
        assertTrue(result.stdout.contains("http2 protocol: h2_prior_knowledge"), result::toString);
        JsonNode report = result.report();
        // HTTP/1.1: the slow streams closed early are discarded, the cancelled calls too.
        // HTTP/2: two bodies kept open, one closed early (a stream reset: not discarded), one read fully.
        long discarded = OkHttpApp.DISCARDED + OkHttpApp.CANCELLED;
        long open = OkHttpApp.H2_KEPT;
        long closed = discarded + 2;
        assertCounts(report, CLIENT, closed + open, closed, 0, open, discarded);
        for (JsonNode b : report.get("openBodies")) {
            assertEquals(Sites.of(OkHttpApp.class, "http2", "h2kept"), b.get("site").asText());
        }
        JsonNode h2row = null;
        for (JsonNode row : report.get("pools")) {
            if (CLIENT.equals(row.get("client").asText()) && row.get("http2").asInt() > 0) {
                assertTrue(h2row == null, () -> "one HTTP/2 row expected: " + report.get("pools"));
                h2row = row;
            }
        }
        assertTrue(h2row != null, () -> "no HTTP/2 pool row: " + report.get("pools").toPrettyString());
        // One multiplexed connection carries the kept streams.
        assertEquals(1, h2row.get("leased").asInt(), h2row.toString());
        assertEquals(0, h2row.get("idle").asInt(), h2row.toString());
        assertEquals(1, h2row.get("http2").asInt(), h2row.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void streamsQueueingAndKeptBodies(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "streams", "suspectAfter=500ms").report();
        // The event stream (cancelled: discarded) and the queued calls closed; the kept bodies are open, not leaked.
        long closed = 1 + OkHttpApp.QUEUED + OkHttpApp.QUEUED_OVERALL;
        long opened = closed + OkHttpApp.KEPT;
        assertCounts(report, CLIENT, opened, closed, 0, OkHttpApp.KEPT, 1);
        String keptSite = Sites.of(OkHttpApp.class, "kept", "kept");
        JsonNode open = report.get("openBodies");
        assertEquals(OkHttpApp.KEPT, open.size(), open::toPrettyString);
        for (JsonNode b : open) {
            assertEquals(keptSite, b.get("site").asText());
            assertTrue(b.get("suspect").asBoolean(), b.toString());
        }
        // The pool shows the kept bodies' connections in use.
        int leased = 0;
        for (JsonNode row : report.get("pools")) {
            if (CLIENT.equals(row.get("client").asText())) {
                leased += row.get("leased").asInt();
            }
        }
        assertEquals(OkHttpApp.KEPT, leased, () -> report.get("pools").toPrettyString());
        // maxRequestsPerHost, then maxRequests, held back the extra async calls: exhaustions naming who held the
        // running calls (one when a call first waited; maybe one more a second later, if one still waited).
        String perHostSite = Sites.of(OkHttpApp.class, "queued", "queued");
        String overallSite = Sites.of(OkHttpApp.class, "queuedOverall", "queuedOverall");
        int perHost = 0;
        int overall = 0;
        for (JsonNode e : report.get("exhaustions")) {
            if (!CLIENT.equals(e.get("client").asText())) {
                continue;
            }
            assertTrue(e.get("route").asText().matches("https?://127\\.0\\.0\\.1:\\d+"), e.toString());
            assertTrue(e.get("pending").asInt() >= 1, e.toString());
            JsonNode holders = e.get("holders");
            assertEquals(1, holders.size(), holders::toPrettyString);
            String site = holders.get(0).get("site").asText();
            if (site.equals(perHostSite)) {
                perHost++;
                assertTrue(e.get("route").asText().startsWith("http://"), e.toString());
                assertEquals(OkHttpApp.PER_HOST, e.get("max").asInt(), e.toString());
                assertEquals(OkHttpApp.PER_HOST, e.get("leased").asInt(), e.toString());
                assertEquals(OkHttpApp.PER_HOST, holders.get(0).get("count").asInt());
            } else {
                overall++;
                assertEquals(overallSite, site, e::toString);
                // The limit is on all calls: the waiting call's route is https, the holders run on http.
                assertTrue(e.get("route").asText().startsWith("https://"), e.toString());
                assertEquals(OkHttpApp.OVERALL, e.get("max").asInt(), e.toString());
                assertEquals(OkHttpApp.OVERALL, e.get("leased").asInt(), e.toString());
                assertEquals(OkHttpApp.OVERALL, holders.get(0).get("count").asInt());
            }
        }
        assertTrue(perHost >= 1, () -> "no maxRequestsPerHost exhaustion in " + report.toPrettyString());
        assertTrue(overall >= 1, () -> "no maxRequests exhaustion in " + report.toPrettyString());
    }

    @Test
    void twoVersionsInIsolatedClassLoadersAddUp() throws Exception {
        List<Path> versions = versions();
        Path oldest = versions.get(0);
        Path newest = versions.get(versions.size() - 1);
        for (Jdks.Jdk jdk : Jdks.all()) {
            Forked.Result result = Forked.run(jdk, OkHttpLoadersApp.class)
                    .args(System.getProperty("httpleak.testClasspath"), oldest.toString(), "2", newest.toString(), "3")
                    .go().ok();
            assertTrue(result.stdout.contains(oldest.getFileName() + "/"), result::toString);
            assertTrue(result.stdout.contains(newest.getFileName() + "/"), result::toString);
            JsonNode report = result.report();
            assertCounts(report, CLIENT, 5, 0, 5, 0, 0);
            assertOnlyLeakSite(report, CLIENT, Sites.of(OkHttpLeaker.class, "leak", "isolated"), 5);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void adviceLeavesHotMethodsInlinable(Jdks.Jdk jdk, String version) throws Exception {
        Woven.assertInlinable(Forked.run(jdk, OkHttpApp.class).classpath(jars(version)).args("correct"),
                "okhttp3.internal.connection.Exchange", "okhttp3.internal.connection.Exchange$ResponseBodySource",
                "okhttp3.Dispatcher");
    }
}
