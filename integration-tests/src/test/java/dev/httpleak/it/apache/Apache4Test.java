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
 * {@code apache-httpclient4}: HttpClient 4.5 (the first 4.5 release) and 4.5.14, each in its own forked JVM on
 * JDK 17 and 25, against a real local server.
 */
class Apache4Test {

    static final String CLIENT = "apache-httpclient4";

    static Stream<Arguments> jdksAndVersions() throws Exception {
        return ApacheVersions.jdksAndVersions("apache4");
    }

    static Forked.Result run(Jdks.Jdk jdk, String version, String... args) throws Exception {
        return Forked.run(jdk, Apache4App.class).classpath(ApacheVersions.jars(version)).agentOptions("log=stderr")
                .args(args).go().ok();
    }

    /**
     * Leaks, discards and responses still held, in one JVM: the report holds the exact sum. Leaks: 3 at one
     * site; discards: {@code response.close()} and {@code abort()} before the end, 2 each; 2 responses kept.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void leaksDiscardsAndOpenResponsesAreCountedExactly(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "leak:3:http+discard:2:http+kept:2:https").report();
        assertCounts(report, CLIENT, 9, 4, 3, 2, 4);
        assertOnlyLeakSite(report, CLIENT, Sites.of(Apache4App.class, "leak", "leak"), 3);
        JsonNode open = report.get("openBodies");
        assertEquals(2, open.size(), open::toPrettyString);
        for (JsonNode body : open) {
            assertEquals(Sites.of(Apache4App.class, "kept", "kept"), body.get("site").asText(), body::toString);
            assertEquals(CLIENT, body.get("client").asText(), body::toString);
            assertTrue(body.get("request").asText().matches("GET https://127\\.0\\.0\\.1:\\d+/\\S+"), body::toString);
        }
        String example = report.get("leakSites").get(0).get("example").asText();
        assertTrue(example.matches("GET http://127\\.0\\.0\\.1:\\d+/\\S+"), example);
        // The leak and discard clients were closed; the kept client's pool holds its two responses.
        List<JsonNode> pools = Reports.pools(report, CLIENT);
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
    void correctCodeInEveryStyleReportsNothing(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode report = run(jdk, version, "correct:2:http").report();
        assertCounts(report, CLIENT, 13, 13, 0, 0, 0);
        assertTrue(report.get("leakSites").isEmpty(), () -> report.toPrettyString());
        assertTrue(report.get("exhaustions").isEmpty(), () -> report.toPrettyString());
        // One client was closed, one dropped: neither pool is listed (nor kept alive by the agent).
        assertTrue(Reports.pools(report, CLIENT).isEmpty(), () -> report.get("pools").toPrettyString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void exhaustedPoolNamesTheLeakingSiteBeforeTheTimeout(Jdks.Jdk jdk, String version) throws Exception {
        Forked.Result result = run(jdk, version, "exhaust:1:http");
        JsonNode report = result.report();
        String site = Sites.of(Apache4App.class, "holdConnection", "exhaust");
        assertCounts(report, CLIENT, 2, 0, 2, 0, 0);
        assertOnlyLeakSite(report, CLIENT, site, 2);
        ApacheExhaustion.assertNamesHolders(result, report, CLIENT, site, "ConnectionPoolTimeoutException",
                jdk + " " + version);
    }

    /** Spring's request factory on the newest 4.5: the site is the caller's line, not Spring's or Apache's. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void leaksThroughSpringAreBlamedOnTheCaller(Jdks.Jdk jdk) throws Exception {
        List<String> folders = ApacheVersions.folders("apache4");
        String[] apache = ApacheVersions.jars(folders.get(folders.size() - 1));
        String[] spring = ApacheVersions.jars(ApacheVersions.folders("spring-web").get(0));
        String[] jars = Stream.concat(Stream.of(apache), Stream.of(spring)).toArray(String[]::new);
        JsonNode report = Forked.run(jdk, Apache4SpringApp.class).classpath(jars).agentOptions("log=stderr")
                .args("2").go().ok().report();
        assertCounts(report, CLIENT, 4, 2, 2, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(Apache4SpringApp.class, "leak", "springLeak"), 2);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void adviceLeavesHotMethodsInlinable(Jdks.Jdk jdk, String version) throws Exception {
        Woven.assertInlinable(Forked.run(jdk, Apache4App.class).classpath(ApacheVersions.jars(version))
                .args("correct:1:http"), "org.apache.http.impl.execchain.MainClientExec",
                "org.apache.http.impl.execchain.ConnectionHolder",
                "org.apache.http.impl.execchain.ResponseEntityProxy");
    }
}
