package dev.httpleak.it.apache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Reports;
import dev.httpleak.it.support.Sites;
import dev.httpleak.it.support.Woven;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static dev.httpleak.it.support.Reports.assertCounts;
import static dev.httpleak.it.support.Reports.assertOnlyLeakSite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code apache-httpclient5}: HttpClient 5.1 (the oldest supported) and 5.6.5 (the newest release), classic,
 * fluent and async, each in its own forked JVM on JDK 17 and 25, against a real local server.
 */
class Apache5Test {

    static final String CLIENT = "apache-httpclient5";

    static Stream<Arguments> jdksAndVersions() throws Exception {
        return ApacheVersions.jdksAndVersions("apache5");
    }

    static Forked.Result run(Jdks.Jdk jdk, String version, String options, String... args) throws Exception {
        return Forked.run(jdk, Apache5App.class).classpath(ApacheVersions.jars(version))
                .agentOptions("log=stderr" + options).args(args).go().ok();
    }

    /**
     * Leaks (classic and fluent, 3 each), discards ({@code close(IMMEDIATE)} or 5.1's {@code close()}, and
     * {@code cancel()}, 2 each), classic responses still held (2) and a stalled async exchange (1), in one JVM:
     * the report holds the exact sum, and ends while the async exchange is still streaming.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void leaksDiscardsOpenAndStalledAsyncBodiesAreCountedExactly(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, ",suspectAfter=200ms",
                "leak:3:http+fluentLeak:3:http+discard:2:http+kept:2:https+asyncStalled:1:http").report();
        assertCounts(report, CLIENT, 13, 4, 6, 3, 4);
        JsonNode sites = report.get("leakSites");
        assertEquals(2, sites.size(), sites::toPrettyString);
        assertEquals(3, leakedAt(report, Sites.of(Apache5App.class, "leak", "leak")), sites::toPrettyString);
        assertEquals(3, leakedAt(report, Sites.of(Apache5App.class, "fluentLeak", "fluentLeak")),
                sites::toPrettyString);

        String kept = Sites.of(Apache5App.class, "kept", "kept");
        String async = Sites.of(Apache5App.class, "asyncStalled", "asyncStalled");
        int keptBodies = 0;
        int asyncBodies = 0;
        for (JsonNode site : sites) {
            assertTrue(site.get("example").asText().matches("GET http://127\\.0\\.0\\.1:\\d+/\\S+"), site::toString);
        }
        for (JsonNode body : report.get("openBodies")) {
            assertTrue(body.get("request").asText().matches("GET https?://127\\.0\\.0\\.1:\\d+/\\S+"), body::toString);
            String site = body.get("site").asText();
            keptBodies += site.equals(kept) ? 1 : 0;
            if (site.equals(async)) {
                asyncBodies++;
                assertEquals("main", body.get("thread").asText(), body::toString); // the caller, not an I/O thread
                assertTrue(body.get("suspect").asBoolean(), body::toString);
            }
        }
        assertEquals(2, keptBodies, () -> report.get("openBodies").toPrettyString());
        assertEquals(1, asyncBodies, () -> report.get("openBodies").toPrettyString());

        // Pools: the kept client's (2 leased), the async client's (1 leased), and the fluent API's static pool,
        // where the 3 leaked fluent responses left their connections leased for good.
        JsonNode classic = null;
        JsonNode asyncPool = null;
        JsonNode fluent = null;
        for (JsonNode pool : Reports.pools(report, CLIENT)) {
            String name = pool.get("pool").asText();
            if (name.startsWith("PoolingAsyncClientConnectionManager@")) {
                asyncPool = pool;
            } else if (pool.get("max").asInt() == 50) {
                classic = pool;
            } else {
                fluent = pool;
            }
        }
        assertPool(classic, "https://127.0.0.1:", 2, report);
        assertEquals(50, classic.get("max").asInt(), classic::toString);
        assertEquals(0, classic.get("pending").asInt(), classic::toString);
        assertPool(asyncPool, "http://127.0.0.1:", 1, report);
        assertPool(fluent, "http://127.0.0.1:", 3, report);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void correctClassicFluentAndAsyncCodeReportsNothing(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "", "correct:2:http").report();
        assertCounts(report, CLIENT, 19, 19, 0, 0, 0);
        assertTrue(report.get("leakSites").isEmpty(), () -> report.toPrettyString());
        assertTrue(report.get("exhaustions").isEmpty(), () -> report.toPrettyString());
        // The classic (max 2) and async (max 5) clients were closed, one (max 3) dropped: none of their pools is
        // listed. Only the fluent API's static pool (max 100 per route) stays, idle.
        for (JsonNode pool : Reports.pools(report, CLIENT)) {
            assertTrue(pool.get("max").asInt() != 2 && pool.get("max").asInt() != 3 && pool.get("max").asInt() != 5,
                    () -> report.get("pools").toPrettyString());
            assertEquals(0, pool.get("leased").asInt(), pool::toString);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void exhaustedPoolNamesTheLeakingSiteBeforeTheTimeout(Jdks.Jdk jdk, String version) throws Exception {
        Forked.Result result = run(jdk, version, "", "exhaust:1:http");
        JsonNode report = result.report();
        String site = Sites.of(Apache5App.class, "holdConnection", "exhaust");
        assertCounts(report, CLIENT, 2, 0, 2, 0, 0);
        assertOnlyLeakSite(report, CLIENT, site, 2);
        ApacheExhaustion.assertNamesHolders(result, report, CLIENT, site, "ConnectionRequestTimeoutException",
                jdk + " " + version);
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

    private static void assertPool(JsonNode pool, String routePrefix, int leased, JsonNode report) {
        assertTrue(pool != null, () -> "pool missing: " + report.get("pools").toPrettyString());
        assertTrue(pool.get("route").asText().startsWith(routePrefix), pool::toString);
        assertEquals(leased, pool.get("leased").asInt(), pool::toString);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void adviceLeavesHotMethodsInlinable(Jdks.Jdk jdk, String version) throws Exception {
        Woven.assertInlinable(Forked.run(jdk, Apache5App.class).classpath(ApacheVersions.jars(version))
                .args("correct:1:http"), "org.apache.hc.client5.http.impl.classic.MainClientExec",
                "org.apache.hc.client5.http.impl.classic.InternalExecRuntime");
    }
}
