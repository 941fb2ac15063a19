package dev.httpleak.it.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Reports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Optional;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordingFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the CLI says when it cannot help, and the options that turn the MBean and the JFR events off. */
class IncidentMessagesTest {

    @ParameterizedTest
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void clearMessages(Jdks.Jdk jdk) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("target"), "incident-messages");

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Target.Cli noSuchPid = Target.cli(jdk, dir, "attach", Long.toString(gone.pid()));
        assertEquals(1, noSuchPid.exitCode, noSuchPid::toString);
        assertTrue(noSuchPid.stderr.contains("no process with pid " + gone.pid()), noSuchPid::toString);

        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            String pid = Long.toString(sleep.pid());
            Target.Cli notJava = Target.cli(jdk, dir, "report", pid);
            assertEquals(1, notJava.exitCode, notJava::toString);
            assertTrue(notJava.stderr.contains("process " + pid + " (") && notJava.stderr.contains("is not a Java VM"),
                    notJava::toString);
            assertTrue(sleep.isAlive(), "no attach signal was sent to it");

            Target.Cli badOption = Target.cli(jdk, dir, "attach", pid, "suspectAfter=soon");
            assertEquals(2, badOption.exitCode, badOption::toString);
            assertTrue(badOption.stderr.contains("bad value 'soon' for option 'suspectAfter'")
                    && badOption.stderr.contains("nothing was attached"), badOption::toString);
        } finally {
            sleep.destroy();
        }

        Target.Cli notAPid = Target.cli(jdk, dir, "report", "my-service");
        assertEquals(2, notAPid.exitCode, notAPid::toString);
        assertTrue(notAPid.stderr.contains("'my-service' is not a pid"), notAPid::toString);

        // A runtime without the jdk.attach module (a JRE, a jlink image).
        Target.Cli noAttach = Target.cli(jdk, dir,
                Arrays.asList("--limit-modules", "java.base,java.instrument,java.management"), "list");
        assertEquals(1, noAttach.exitCode, noAttach::toString);
        assertTrue(noAttach.stderr.contains("has no jdk.attach module") && noAttach.stderr.contains("full JDK"),
                noAttach::toString);
    }

    @Test
    void jdk21AndLaterRefusingDynamicAgentsIsExplained() throws Exception {
        Optional<Jdks.Jdk> jdk25 = Jdks.all().stream().filter(j -> j.name.equals("25")).findFirst();
        assumeTrue(jdk25.isPresent(), "JDK 25 not configured");
        Jdks.Jdk jdk = jdk25.get();
        Path dir = Files.createTempDirectory(Paths.get("target"), "incident-refused");
        try (Target target = Target.start(jdk, dir, "-XX:-EnableDynamicAgentLoading")) {
            Target.Cli attach = Target.cli(jdk, dir, "attach", Long.toString(target.pid()));
            assertEquals(1, attach.exitCode, attach::toString);
            assertTrue(attach.stderr.contains("refuses agents loaded while it runs")
                    && attach.stderr.contains("-XX:+EnableDynamicAgentLoading"), attach::toString);
            assertEquals(0, target.exit());
            assertFalse(target.stderrText().contains("[httpleak] attached"), target::stderrText);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void jmxAndJfrCanBeTurnedOff(Jdks.Jdk jdk) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("target"), "incident-off");
        Path recording = dir.resolve("recording.jfr").toAbsolutePath();
        try (Target target = Target.start(jdk, dir, "-XX:+EnableDynamicAgentLoading",
                "-XX:StartFlightRecording:filename=" + recording)) {
            String pid = Long.toString(target.pid());
            Target.Cli attach = Target.cli(jdk, dir, "attach", pid, "jmx=false,jfr=false");
            assertEquals(0, attach.exitCode, attach::toString);
            target.send("leak 1");
            Target.Cli report = Target.cli(jdk, dir, "report", pid);
            assertEquals(0, report.exitCode, report::toString);
            Reports.assertCounts(new ObjectMapper().readTree(report.stdout), "urlconnection", 1, 0, 1, 0, 0);

            VirtualMachine vm = VirtualMachine.attach(pid);
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                assertEquals(0, connector.getMBeanServerConnection()
                        .queryNames(new ObjectName("dev.httpleak:*"), null).size());
            }
            assertEquals(0, target.exit(), target::stderrText);
        }
        try (RecordingFile file = new RecordingFile(recording)) {
            for (EventType type : file.readEventTypes()) {
                assertFalse(type.getName().startsWith("dev.httpleak"), type.getName());
            }
        }
    }
}
