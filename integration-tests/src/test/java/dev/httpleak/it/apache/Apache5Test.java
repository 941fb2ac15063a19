package dev.httpleak.it.apache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Sites;
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

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void unclosedClassicResponsesLeakAtTheirSite(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "", "leak", "3", "http").report();
        assertCounts(report, CLIENT, 3, 0, 3, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(Apache5App.class, "leak", "leak"), 3);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void fluentResponsesNeverReadLeakAtTheCallersLine(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "", "fluentLeak", "3", "http").report();
        assertCounts(report, CLIENT, 3, 0, 3, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(Apache5App.class, "fluentLeak", "fluentLeak"), 3);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void correctClassicFluentAndAsyncCodeReportsNothing(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "", "correct", "2", "http").report();
        assertCounts(report, CLIENT, 19, 19, 0, 0, 0);
        assertTrue(report.get("leakSites").isEmpty(), () -> report.toPrettyString());
        assertTrue(report.get("exhaustions").isEmpty(), () -> report.toPrettyString());
        // The classic (max 2) and async clients were closed, one (max 3) dropped: none of their pools is listed.
        // Only the fluent API's static pool (max 100 per route) stays, idle.
        for (JsonNode pool : ApacheVersions.pools(report, CLIENT)) {
            assertTrue(pool.get("max").asInt() != 2 && pool.get("max").asInt() != 3 && pool.get("max").asInt() != 5,
                    () -> report.get("pools").toPrettyString());
            assertEquals(0, pool.get("leased").asInt(), pool::toString);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void immediateCloseOrCancelBeforeTheEndDiscardsTheConnection(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "", "discard", "2", "http").report();
        assertCounts(report, CLIENT, 4, 4, 0, 0, 4);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void reachableResponsesAreOpenAndShowInThePool(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "", "kept", "2", "https").report();
        assertCounts(report, CLIENT, 2, 0, 0, 2, 0);
        assertEquals(Sites.of(Apache5App.class, "kept", "kept"), report.get("openBodies").get(0).get("site").asText());
        List<JsonNode> pools = ApacheVersions.pools(report, CLIENT);
        assertEquals(1, pools.size(), () -> report.get("pools").toPrettyString());
        JsonNode pool = pools.get(0);
        assertTrue(pool.get("pool").asText().startsWith("PoolingHttpClientConnectionManager@"), pool::toString);
        assertTrue(pool.get("route").asText().startsWith("https://127.0.0.1:"), pool::toString);
        assertEquals(2, pool.get("leased").asInt(), pool::toString);
        assertEquals(0, pool.get("idle").asInt(), pool::toString);
        assertEquals(50, pool.get("max").asInt(), pool::toString);
        assertEquals(0, pool.get("pending").asInt(), pool::toString);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void stalledAsyncExchangeIsAnOpenSuspectAtTheCallersLine(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, ",suspectAfter=200ms", "asyncStalled", "1", "http").report();
        assertCounts(report, CLIENT, 1, 0, 0, 1, 0);
        JsonNode open = report.get("openBodies").get(0);
        assertEquals(Sites.of(Apache5App.class, "asyncStalled", "asyncStalled"), open.get("site").asText(),
                open::toString);
        assertEquals("main", open.get("thread").asText(), open::toString);
        assertTrue(open.get("suspect").asBoolean(), open::toString);
        List<JsonNode> pools = ApacheVersions.pools(report, CLIENT);
        assertEquals(1, pools.size(), () -> report.get("pools").toPrettyString());
        assertTrue(pools.get(0).get("pool").asText().startsWith("PoolingAsyncClientConnectionManager@"),
                pools.get(0)::toString);
        assertEquals(1, pools.get(0).get("leased").asInt(), pools.get(0)::toString);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void exhaustedPoolNamesTheLeakingSiteBeforeTheTimeout(Jdks.Jdk jdk, String version) throws Exception {
        Forked.Result result = run(jdk, version, "", "exhaust", "1", "http");
        JsonNode report = result.report();
        String site = Sites.of(Apache5App.class, "holdConnection", "exhaust");
        assertCounts(report, CLIENT, 2, 0, 2, 0, 0);
        assertOnlyLeakSite(report, CLIENT, site, 2);
        ApacheExhaustion.assertNamesHolders(result, report, CLIENT, site, "ConnectionRequestTimeoutException",
                jdk + " " + version);
    }
}
