package dev.httpleak.it.urlconnection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Sites;
import dev.httpleak.it.support.Woven;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;


import static dev.httpleak.it.support.Reports.assertCounts;
import static dev.httpleak.it.support.Reports.assertOnlyLeakSite;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code urlconnection}: HttpURLConnection and HttpsURLConnection, on JDK 17 and 25, HTTP and HTTPS. */
class UrlConnectionTest {

    private static final String CLIENT = "urlconnection";

    private static JsonNode run(Jdks.Jdk jdk, String scenario, int count, String scheme) throws Exception {
        return Forked.run(jdk, UrlConnectionApp.class).args(scenario, String.valueOf(count), scheme).go().ok().report();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.httpleak.it.support.Jdks#withSchemes")
    void unclosedInputStreamsLeakAtTheirSite(Jdks.Jdk jdk, String scheme) throws Exception {
        JsonNode report = run(jdk, "leakInputStream", 3, scheme);
        assertCounts(report, CLIENT, 3, 0, 3, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(UrlConnectionApp.class, "leakInputStream", "leakInputStream"), 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void bodiesEndedOnAnotherThreadAreClosedNotLeaked(Jdks.Jdk jdk) throws Exception {
        JsonNode report = run(jdk, "acrossThreads", 3, "http");
        assertCounts(report, CLIENT, 6, 6, 0, 0, 0);
        assertTrue(report.get("leakSites").isEmpty(), report.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void virtualThreadsCountExactly(Jdks.Jdk jdk) throws Exception {
        JsonNode report = run(jdk, "virtualThreads", 3, "http");
        assertCounts(report, CLIENT, 6, 3, 3, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(UrlConnectionApp.class, "leakInputStream", "leakInputStream"), 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void earlyReturnOnStatusLeaksTheErrorBody(Jdks.Jdk jdk) throws Exception {
        JsonNode report = run(jdk, "leakOnStatus", 2, "http");
        assertCounts(report, CLIENT, 2, 0, 2, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(UrlConnectionApp.class, "leakOnStatus", "leakOnStatus"), 2);
        assertEquals(503, report.get("leakSites").get(0).get("status").asInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void partlyReadErrorStreamLeaks(Jdks.Jdk jdk) throws Exception {
        JsonNode report = run(jdk, "leakErrorBody", 2, "https");
        assertCounts(report, CLIENT, 2, 0, 2, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(UrlConnectionApp.class, "leakErrorBody", "leakErrorBody"), 2);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.httpleak.it.support.Jdks#withSchemes")
    void correctCodeReportsNothing(Jdks.Jdk jdk, String scheme) throws Exception {
        for (String scenario : new String[] {"readToEnd", "tryWithResources", "statusOnlyClosed", "errorBodyRead"}) {
            JsonNode report = run(jdk, scenario, 3, scheme);
            assertCounts(report, CLIENT, 3, 3, 0, 0, 0);
            assertTrue(report.get("leakSites").isEmpty(), scenario);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.httpleak.it.support.Jdks#withSchemes")
    void closingOrDisconnectingBeforeTheEndDiscardsTheConnection(Jdks.Jdk jdk, String scheme) throws Exception {
        for (String scenario : new String[] {"closed", "disconnected"}) {
            JsonNode report = run(jdk, scenario, 3, scheme);
            assertCounts(report, CLIENT, 3, 3, 0, 0, 3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void reachableBodiesAreOpenNotLeakedAndShowInPools(Jdks.Jdk jdk) throws Exception {
        JsonNode report = run(jdk, "kept", 2, "http");
        assertCounts(report, CLIENT, 2, 0, 0, 2, 0);
        JsonNode open = report.get("openBodies");
        assertEquals(2, open.size());
        assertEquals(Sites.of(UrlConnectionApp.class, "kept", "kept"), open.get(0).get("site").asText());
        assertEquals("main", open.get(0).get("thread").asText());
        JsonNode pool = report.get("pools").get(0);
        assertEquals(CLIENT, pool.get("client").asText());
        assertEquals(2, pool.get("leased").asInt());
        assertTrue(pool.get("route").asText().startsWith("http://127.0.0.1:"), pool.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void adviceLeavesHotMethodsInlinable(Jdks.Jdk jdk) throws Exception {
        Woven.assertInlinable(Forked.run(jdk, UrlConnectionApp.class).args("readToEnd", "1", "http"),
                "sun.net.www.protocol.http.HttpURLConnection",
                "sun.net.www.protocol.http.HttpURLConnection$HttpInputStream");
    }
}
