package dev.httpleak.it.jdkhttpclient;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code jdk-httpclient} on JDK 17 and 25. The client keeps its own response and body objects reachable while
 * a body is unread, so these tests prove that the leak is seen through the objects only the user holds.
 */
class JdkHttpClientTest {

    private static final String CLIENT = "jdk-httpclient";

    private static JsonNode run(Jdks.Jdk jdk, String scenario, int count, String scheme) throws Exception {
        return Forked.run(jdk, JdkHttpClientApp.class).args(scenario, String.valueOf(count), scheme).go().ok().report();
    }

    private static void assertLeaks(Jdks.Jdk jdk, String scenario, int count, String scheme) throws Exception {
        JsonNode report = run(jdk, scenario, count, scheme);
        assertCounts(report, CLIENT, count, 0, count, 0, 0);
        assertOnlyLeakSite(report, CLIENT, Sites.of(JdkHttpClientApp.class, scenario, scenario), count);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.httpleak.it.support.Jdks#withSchemes")
    void droppedInputStreamBodiesLeakAtTheirSite(Jdks.Jdk jdk, String scheme) throws Exception {
        assertLeaks(jdk, "leakInputStream", 3, scheme);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void earlyReturnOnStatusLeaks(Jdks.Jdk jdk) throws Exception {
        assertLeaks(jdk, "leakOnStatus", 2, "http");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void linesAndPublishersLeakToo(Jdks.Jdk jdk) throws Exception {
        assertLeaks(jdk, "leakLines", 2, "http");
        assertLeaks(jdk, "leakPublisher", 2, "https");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void asyncLeaksAreBlamedOnTheCallerOfSendAsync(Jdks.Jdk jdk) throws Exception {
        assertLeaks(jdk, "leakAsync", 3, "http");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void aBodyKeptAfterItsResponseIsDroppedIsOpenNotLeaked(Jdks.Jdk jdk) throws Exception {
        for (String scenario : new String[] {"keepBodyDropResponse", "keepResponse"}) {
            JsonNode report = run(jdk, scenario, 2, "http");
            assertCounts(report, CLIENT, 2, 0, 0, 2, 0);
            JsonNode open = report.get("openBodies");
            assertEquals(Sites.of(JdkHttpClientApp.class, scenario, scenario), open.get(0).get("site").asText());
            assertEquals(false, open.get(0).get("suspect").asBoolean());
            JsonNode pool = report.get("pools").get(0);
            assertEquals(CLIENT, pool.get("client").asText());
            assertEquals(2, pool.get("leased").asInt(), pool::toString);
            assertTrue(pool.get("max").isNull(), "the JDK client has no cap on connections");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.httpleak.it.support.Jdks#withSchemes")
    void correctCodeReportsNothing(Jdks.Jdk jdk, String scheme) throws Exception {
        for (String scenario : new String[] {"readToEnd", "tryWithResources", "statusOnlyClosed", "linesClosed",
                "publisherConsumed", "asyncClosed"}) {
            JsonNode report = run(jdk, scenario, 3, scheme);
            JsonNode c = report.get("clients").get(CLIENT);
            assertEquals(3, c.get("opened").asLong(), scenario);
            assertEquals(0, c.get("leaked").asLong(), scenario);
            assertEquals(0, c.get("open").asLong(), scenario);
            assertTrue(report.get("leakSites").isEmpty(), scenario);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void bodiesThatAreAlwaysConsumedAreNotCounted(Jdks.Jdk jdk) throws Exception {
        JsonNode report = run(jdk, "ofString", 3, "http");
        assertNull(report.get("clients").get(CLIENT));
        assertEquals(0, report.get("totals").get("opened").asLong());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void closingBeforeTheEndDiscardsTheConnection(Jdks.Jdk jdk) throws Exception {
        JsonNode report = run(jdk, "closedEarly", 3, "http");
        assertCounts(report, CLIENT, 3, 3, 0, 0, 3);
    }

    /** {@code send} runs its advice in the facade: {@code HttpClientImpl.send} with it was too big to inline. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void adviceLeavesHotMethodsInlinable(Jdks.Jdk jdk) throws Exception {
        Woven.assertInlinable(Forked.run(jdk, JdkHttpClientApp.class).args("readToEnd", "1", "http"),
                "jdk.internal.net.http.HttpClientFacade", "jdk.internal.net.http.HttpClientImpl");
    }
}
