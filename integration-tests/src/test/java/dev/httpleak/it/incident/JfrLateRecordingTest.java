package dev.httpleak.it.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Recordings;
import dev.httpleak.it.support.Reports;
import dev.httpleak.it.support.Sites;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A recording started after the agent, with {@code jcmd PID JFR.start}: until then the agent leaves JFR alone
 * (on JDK 17 registering an event class changes how the JIT compiles urlconnection's requests, recording or not),
 * and from then on the recording holds the agent's events.
 */
class JfrLateRecordingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "urlconnection";
    private static final String LEAK_SITE = Sites.of(IncidentApp.class, "leak", "leak");
    /** Loaded once anything registers an event class; not by adding a listener to the Flight Recorder. */
    private static final String JFR_SET_UP = "jdk.jfr.internal.MetadataRepository ";

    @ParameterizedTest
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void aRecordingStartedLaterHoldsTheLeaksFoundFromThen(Jdks.Jdk jdk) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("target"), "jfr-late");
        Path classes = dir.resolve("classes.log").toAbsolutePath();
        Path recording = dir.resolve("recording.jfr").toAbsolutePath();
        try (Target target = Target.start(jdk, dir, "-XX:+EnableDynamicAgentLoading",
                "-Xlog:class+load=info:file=" + classes)) {
            String pid = Long.toString(target.pid());
            Target.Cli attach = Target.cli(jdk, dir, "attach", pid);
            assertEquals(0, attach.exitCode, attach::toString);

            target.send("leak 2");
            Target.Cli before = Target.cli(jdk, dir, "report", pid); // runs a GC: both leaks are found now
            assertEquals(0, before.exitCode, before::toString);
            Reports.assertCounts(JSON.readTree(before.stdout), CLIENT, 2, 0, 2, 0, 0);
            assertFalse(loaded(classes), "the agent set up JFR with no recording running");

            Target.Cli start = target.jcmd(jdk, dir, "JFR.start", "name=late");
            assertEquals(0, start.exitCode, start::toString);
            target.send("leak 3");
            target.send("keep 1");
            Target.Cli after = Target.cli(jdk, dir, "report", pid);
            assertEquals(0, after.exitCode, after::toString);
            Reports.assertCounts(JSON.readTree(after.stdout), CLIENT, 6, 0, 5, 1, 0);
            target.send("jfr");
            Target.Cli dump = target.jcmd(jdk, dir, "JFR.dump", "name=late", "filename=" + recording);
            assertEquals(0, dump.exitCode, dump::toString);
            assertTrue(loaded(classes));
            assertEquals(0, target.exit(), target::stderrText);
        }

        List<RecordedEvent> leaks = Recordings.events(recording, "dev.httpleak.Leak");
        List<RecordedEvent> occupancy = Recordings.events(recording, "dev.httpleak.PoolOccupancy");
        assertEquals(3, leaks.size(), leaks::toString); // the two found before the recording are not in it
        for (RecordedEvent e : leaks) {
            assertEquals(CLIENT, e.getString("client"));
            assertEquals(LEAK_SITE, e.getString("site"));
        }
        assertTrue(occupancy.stream().anyMatch(e -> CLIENT.equals(e.getString("client"))
                && e.getInt("leased") == 1), occupancy::toString);
    }

    private static boolean loaded(Path classLog) throws Exception {
        return Files.readAllLines(classLog).stream().anyMatch(l -> l.contains(JFR_SET_UP));
    }
}
