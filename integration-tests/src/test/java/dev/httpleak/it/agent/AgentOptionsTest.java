package dev.httpleak.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.urlconnection.UrlConnectionApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Paths;

import static dev.httpleak.it.support.Reports.assertCounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options in a real JVM: bad input, logging routes, stacks, skip, URLs, suspects. */
class AgentOptionsTest {

    private static final String JDKS = "dev.httpleak.it.support.Jdks#all";

    private static Forked.Result leak(Jdks.Jdk jdk, String options) throws Exception {
        return Forked.run(jdk, UrlConnectionApp.class).agentOptions(options).args("leakInputStream", "2", "http").go().ok();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void badOptionsPrintOneNamedLineEachAndTheApplicationRunsAsBefore(Jdks.Jdk jdk) throws Exception {
        Forked.Result plain = Forked.run(jdk, UrlConnectionApp.class).withoutAgent().args("readToEnd", "1", "http").go().ok();
        Forked.Result bad = Forked.run(jdk, UrlConnectionApp.class).agentOptions("colour=blue,stacks=maybe")
                .jvm("-Dhttpleak.suspectAfter=soon").args("readToEnd", "1", "http").go().ok();
        assertEquals(plain.stdout, bad.stdout);
        assertTrue(bad.stderr.contains("[httpleak] unknown option 'colour'; accepted: report, log,"), bad::toString);
        assertTrue(bad.stderr.contains("[httpleak] bad value 'maybe' for option 'stacks'; accepted: all|sampled|off"),
                bad::toString);
        assertTrue(bad.stderr.contains("[httpleak] bad value 'soon' for option 'suspectAfter'; accepted: DURATION"),
                bad::toString);
        assertCounts(bad.report(), "urlconnection", 1, 1, 0, 0, 0); // the agent runs on with its defaults
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void warningsGoToStderrWithTheStackOnceThenAsCounts(Jdks.Jdk jdk) throws Exception {
        Forked.Result r = leak(jdk, "");
        String site = r.report().get("leakSites").get(0).get("site").asText();
        assertEquals(1, count(r.stderr, "[httpleak] WARN leaked response body (urlconnection) at " + site), r::toString);
        assertEquals(1, count(r.stderr, "\n    at " + site), "one stack: " + r);
        assertTrue(r.stderr.contains("[httpleak] WARN 1 more leaked response bodies (urlconnection) at " + site), r::toString);
        assertTrue(r.stderr.contains("GET http://127.0.0.1:"), r::toString);
        assertTrue(r.stderr.contains("/bytes?n=*"), "URLs are redacted by default: " + r);
        assertFalse(r.stderr.contains("sun.misc.Unsafe"), "Byte Buddy runs in safe mode: " + r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void warningsGoThroughTheApplicationsSlf4jWhenOneIsBound(Jdks.Jdk jdk) throws Exception {
        String slf4j = Paths.get(System.getProperty("httpleak.clients"), "slf4j", "*").toString();
        Forked.Result r = Forked.run(jdk, UrlConnectionApp.class).classpath(slf4j)
                .args("leakInputStream", "1", "http").go().ok();
        assertTrue(r.stderr.contains("WARN dev.httpleak - leaked response body (urlconnection) at "), r::toString);
        assertFalse(r.stderr.contains("[httpleak] WARN"), r::toString);
        Forked.Result stderrOnly = Forked.run(jdk, UrlConnectionApp.class).classpath(slf4j).agentOptions("log=stderr")
                .args("leakInputStream", "1", "http").go().ok();
        assertTrue(stderrOnly.stderr.contains("[httpleak] WARN leaked response body"), stderrOnly::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void logOffIsSilentButTheReportIsComplete(Jdks.Jdk jdk) throws Exception {
        Forked.Result r = leak(jdk, "log=off");
        assertFalse(r.stderr.contains("WARN"), r::toString);
        assertCounts(r.report(), "urlconnection", 2, 0, 2, 0, 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void stacksOffStillNamesTheSiteAndUrlsFullShowsQueries(Jdks.Jdk jdk) throws Exception {
        JsonNode site = leak(jdk, "stacks=off,urls=full").report().get("leakSites").get(0);
        assertTrue(site.get("site").asText().startsWith("dev.httpleak.it.urlconnection.UrlConnectionApp.leakInputStream("));
        assertEquals(0, site.get("stack").size());
        assertTrue(site.get("example").asText().endsWith("/bytes?n=1048576"), site::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void skipMovesTheBlameOutOfTheNamedPackages(Jdks.Jdk jdk) throws Exception {
        JsonNode site = leak(jdk, "skip=dev.httpleak.it.").report().get("leakSites").get(0);
        // No frame qualifies any more, so the site is the first frame of all.
        assertTrue(site.get("site").asText().contains("sun.net.www.protocol.http.HttpURLConnection.getInputStream"),
                site::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void bodiesOpenLongerThanSuspectAfterAreSuspects(Jdks.Jdk jdk) throws Exception {
        JsonNode report = Forked.run(jdk, UrlConnectionApp.class).agentOptions("suspectAfter=500ms")
                .jvm("-Dit.holdMillis=1500").args("kept", "1", "http").go().ok().report();
        JsonNode body = report.get("openBodies").get(0);
        assertTrue(body.get("suspect").asBoolean(), body::toString);
        assertTrue(body.get("ageMillis").asLong() >= 500, body::toString);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(JDKS)
    void disabledClientsAreNotInstrumented(Jdks.Jdk jdk) throws Exception {
        JsonNode report = leak(jdk, "disable=urlconnection").report();
        assertEquals(0, report.get("totals").get("opened").asLong());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
