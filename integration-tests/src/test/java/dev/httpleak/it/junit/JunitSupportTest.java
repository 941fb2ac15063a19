package dev.httpleak.it.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Sites;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * httpleak-junit in forked JVMs on JDK 17 and 25, run by the JUnit Platform launcher: with the agent from
 * {@code -javaagent} and with the agent installed by the extension itself (self-attach). The same tests fail
 * the same way on either route, and each body is counted once.
 */
class JunitSupportTest {

    private static final String DYNAMIC_AGENT_WARNING = "A Java agent has been loaded dynamically";

    static Stream<Arguments> routes() {
        List<Arguments> list = new ArrayList<>();
        for (Jdks.Jdk jdk : Jdks.all()) {
            list.add(Arguments.of(jdk, "javaagent"));
            list.add(Arguments.of(jdk, "self-install"));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("routes")
    void theTestThatLeakedFailsWithItsSite(Jdks.Jdk jdk, String route) throws Exception {
        Path report = Files.createTempDirectory(Paths.get("target"), "junit").resolve("report.json");
        Forked fork = Forked.run(jdk, JunitLauncherApp.class).classpath(testClasspath())
                .jvm("-Dhttpleak.report=" + report.toAbsolutePath());
        if (route.equals("self-install")) {
            fork.withoutAgent();
        }
        Forked.Result r = fork.go().ok();
        Map<String, String> results = lines(r.stdout, "RESULT ");
        Map<String, String> messages = lines(r.stdout, "MESSAGE ");
        Map<String, String> tops = lines(r.stdout, "TOP ");

        String leaks = Sites.of(JunitCases.class, "leaks", "leaks");
        assertEquals("FAILED", results.get("leaks"), r.toString());
        assertTrue(messages.get("leaks").startsWith("1 HTTP response body opened during this test was not "
                + "closed (1 leaked, 0 still open)."), messages.get("leaks"));
        assertTrue(messages.get("leaks").contains("\\n\\n1 leaked at " + leaks + "\\n    client: urlconnection\\n"
                + "    request: GET http://127.0.0.1:"), messages.get("leaks"));
        assertEquals(leaks, tops.get("leaks"));

        assertEquals("SUCCESSFUL", results.get("closes"), r.toString());
        assertEquals("SUCCESSFUL", results.get("keepsOpenOnPurpose"), r.toString());

        String open = Sites.of(JunitCases.class, "keepsOpenByMistake", "keepsOpenByMistake");
        assertEquals("FAILED", results.get("keepsOpenByMistake"), r.toString());
        assertTrue(messages.get("keepsOpenByMistake").contains("(0 leaked, 1 still open)")
                && messages.get("keepsOpenByMistake").contains("1 still open at " + open), r.toString());

        String jdkLeak = Sites.of(JunitCases.class, "leaksWithHttpClient", "leaksWithHttpClient");
        assertEquals("FAILED", results.get("leaksWithHttpClient"), r.toString());
        assertTrue(messages.get("leaksWithHttpClient").contains("1 leaked at " + jdkLeak
                + "\\n    client: jdk-httpclient"), messages.get("leaksWithHttpClient"));

        assertTrue(r.stdout.contains("BASELINE earlier leak ignored"), r.toString());
        assertTrue(r.stdout.contains("BASELINE caught 1 HTTP response body opened since the baseline was not "
                + "closed (1 leaked, 0 still open).") && r.stdout.contains("1 leaked at "
                + Sites.of(JunitLauncherApp.class, "leak", "leak")), r.toString());

        // One agent, each body counted once: 3 leaked (one test, two around the baseline), 1 kept open and
        // closed afterwards; the java.net.http body kept on purpose was closed too.
        // The -javaagent route writes where Forked's agent argument says (it wins over -Dhttpleak.report).
        JsonNode json = route.equals("javaagent") ? r.report() : new ObjectMapper().readTree(report.toFile());
        assertEquals("opened=5 closed=2 leaked=3 open=0", counts(json, "urlconnection"), json.toPrettyString());
        assertEquals("opened=3 closed=2 leaked=1 open=0", counts(json, "jdk-httpclient"), json.toPrettyString());
        boolean attached = r.stderr.contains("[httpleak] attached");
        assertEquals(route.equals("self-install"), attached, r.stderr);
        assertFalse(r.stderr.contains("already running"), r.stderr);
        if (route.equals("self-install") && !jdk.name.equals("17")) {
            assertTrue(r.stderr.contains(DYNAMIC_AGENT_WARNING), r.stderr);
        }
    }

    /** On JDK 21 and later, the flag the README names silences the dynamic-loading warning of self-install. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void theFlagSilencesTheDynamicLoadingWarning(Jdks.Jdk jdk) throws Exception {
        Forked.Result r = Forked.run(jdk, JunitLauncherApp.class).classpath(testClasspath()).withoutAgent()
                .jvm("-XX:+EnableDynamicAgentLoading").go().ok();
        assertEquals("FAILED", lines(r.stdout, "RESULT ").get("leaks"), r.toString());
        assertFalse(r.stderr.contains(DYNAMIC_AGENT_WARNING), r.stderr);
    }

    /** The jars Surefire put on this module's test class path (httpleak-junit, the launcher, the engine...). */
    private static String[] testClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return cp.split(File.pathSeparator);
    }

    private static String counts(JsonNode report, String client) {
        JsonNode c = report.get("clients").get(client);
        return "opened=" + c.get("opened") + " closed=" + c.get("closed") + " leaked=" + c.get("leaked")
                + " open=" + c.get("open");
    }

    private static Map<String, String> lines(String stdout, String prefix) {
        Map<String, String> map = new HashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length());
                int space = rest.indexOf(' ');
                map.put(rest.substring(0, space), rest.substring(space + 1).trim());
            }
        }
        return map;
    }
}
