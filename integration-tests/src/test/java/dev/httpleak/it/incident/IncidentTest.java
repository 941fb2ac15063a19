package dev.httpleak.it.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Recordings;
import dev.httpleak.it.support.Reports;
import dev.httpleak.it.support.Sites;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.jfr.consumer.RecordedEvent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An incident: a JVM started without the agent leaks; someone attaches the agent with the CLI, reads the report
 * with the CLI, the MBean through a real JMX connector, the interval log, and the JFR recording that was running.
 */
class IncidentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "urlconnection";
    private static final String LEAK_SITE = Sites.of(IncidentApp.class, "leak", "leak");
    private static final String KEEP_SITE = Sites.of(IncidentApp.class, "keep", "keep");

    @ParameterizedTest
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void attachThenReportJmxJfrAndIntervalLog(Jdks.Jdk jdk) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("target"), "incident");
        Path recording = dir.resolve("recording.jfr").toAbsolutePath();
        try (Target target = Target.start(jdk, dir, "-XX:+EnableDynamicAgentLoading",
                "-XX:StartFlightRecording:filename=" + recording)) {
            String pid = Long.toString(target.pid());

            Target.Cli list = Target.cli(jdk, dir, "list");
            assertEquals(0, list.exitCode, list::toString);
            assertTrue(list.stdout.lines().anyMatch(l -> l.matches(pid + " +" + IncidentApp.class.getName())),
                    list::toString);

            Target.Cli before = Target.cli(jdk, dir, "report", pid);
            assertEquals(1, before.exitCode, before::toString);
            assertTrue(before.stderr.contains("httpleak is not running in JVM " + pid), before::toString);

            Target.Cli attach = Target.cli(jdk, dir, "attach", pid, "suspectAfter=500ms,interval=500ms");
            assertEquals(0, attach.exitCode, attach::toString);
            assertTrue(attach.stdout.startsWith("httpleak attached to JVM " + pid), attach::toString);
            String since = between(attach.stdout, "Counting response bodies opened from ", ";");

            Target.Cli again = Target.cli(jdk, dir, "attach", pid, "stacks=all");
            assertEquals(0, again.exitCode, again::toString);
            assertTrue(again.stdout.contains("already running in JVM " + pid) && again.stdout.contains(since)
                    && again.stdout.contains("nothing changed") && again.stdout.contains("ignored: stacks=all"),
                    again::toString);

            target.send("leak 3");
            target.send("keep 2");

            // The report now, to a file: the body opened before the attach is not counted.
            Path file = dir.resolve("now/report.json");
            Target.Cli report = Target.cli(jdk, dir, "report", pid, "--out", file.toString());
            assertEquals(0, report.exitCode, report::toString);
            JsonNode json = JSON.readTree(file.toFile());
            assertEquals(since, json.get("countingSince").asText());
            Reports.assertCounts(json, CLIENT, 5, 0, 3, 2, 0);
            Reports.assertOnlyLeakSite(json, CLIENT, LEAK_SITE, 3);
            assertEquals(2, json.get("openBodies").size(), json::toPrettyString);
            for (JsonNode open : json.get("openBodies")) {
                assertEquals(KEEP_SITE, open.get("site").asText());
            }

            // The same on standard output; the JVM keeps running.
            Target.Cli printed = Target.cli(jdk, dir, "report", pid);
            assertEquals(0, printed.exitCode, printed::toString);
            Reports.assertCounts(JSON.readTree(printed.stdout), CLIENT, 5, 0, 3, 2, 0);

            readThroughJmx(target.pid(), since);

            // The interval log: a block that names the suspects' site.
            target.awaitStderr(l -> l.contains("suspect 2 (" + CLIENT + " at " + KEEP_SITE + ")"),
                    "the two kept bodies as suspects");
            String log = target.stderrText();
            assertTrue(log.contains("[httpleak] every 500ms: 2 open, 2 suspect (open longer than 500ms), 3 leaked"),
                    log);
            assertTrue(log.contains("  pool " + CLIENT + " http://127.0.0.1:"), log);

            target.send("jfr");
            assertEquals(0, target.exit(), target::stderrText);
        }
        checkRecording(recording);
    }

    /** The MBean through a real JMX connector (the JDK's local one, started by the test, never by the agent). */
    private static void readThroughJmx(long pid, String since) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName("dev.httpleak:type=HttpLeak");
            assertEquals(5L, jmx.getAttribute(name, "Opened"));
            assertEquals(0L, jmx.getAttribute(name, "Closed"));
            assertEquals(3L, jmx.getAttribute(name, "Leaked"));
            assertEquals(2L, jmx.getAttribute(name, "Open"));
            assertEquals(0L, jmx.getAttribute(name, "Discarded"));
            assertEquals(2L, jmx.getAttribute(name, "Suspects"));
            assertEquals(since, jmx.getAttribute(name, "CountingSince"));
            CompositeData[] clients = (CompositeData[]) jmx.getAttribute(name, "Clients");
            assertEquals(1, clients.length);
            assertEquals(CLIENT, clients[0].get("client"));
            assertEquals(3L, clients[0].get("leaked"));
            assertEquals(2L, clients[0].get("open"));
            CompositeData one = (CompositeData) jmx.invoke(name, "clientCounts", new Object[] {CLIENT},
                    new String[] {String.class.getName()});
            assertEquals(5L, one.get("opened"));
            JsonNode report = JSON.readTree((String) jmx.invoke(name, "report", new Object[0], new String[0]));
            Reports.assertCounts(report, CLIENT, 5, 0, 3, 2, 0);
            Reports.assertOnlyLeakSite(report, CLIENT, LEAK_SITE, 3);
        }
    }

    /** The recording started with a plain -XX:StartFlightRecording, read with jdk.jfr.consumer. */
    private static void checkRecording(Path recording) throws Exception {
        List<RecordedEvent> leaks = Recordings.events(recording, "dev.httpleak.Leak");
        List<RecordedEvent> occupancy = Recordings.events(recording, "dev.httpleak.PoolOccupancy");
        assertEquals(3, leaks.size(), leaks::toString);
        for (RecordedEvent e : leaks) {
            assertEquals(CLIENT, e.getString("client"));
            assertEquals(LEAK_SITE, e.getString("site"));
            assertTrue(e.getString("request").startsWith("GET http://127.0.0.1:"), e::toString);
            assertTrue(e.getString("request").endsWith("/bytes?n=*"), e::toString);
            assertEquals(200, e.getInt("status"));
            assertTrue(Arrays.asList(e.getString("stack").split("\n")).contains(LEAK_SITE), e::toString);
        }
        assertTrue(occupancy.stream().anyMatch(e -> CLIENT.equals(e.getString("client"))
                && e.getString("route").startsWith("http://127.0.0.1:") && e.getInt("leased") == 2
                && e.getInt("max") == -1), occupancy::toString);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, text);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }
}
