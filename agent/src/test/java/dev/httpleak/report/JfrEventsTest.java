package dev.httpleak.report;

import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.core.Registry;
import dev.httpleak.core.SiteRules;
import dev.httpleak.fixture.UserCode;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JFR events without an agent, in a recording with the JDK's default settings (which do not name them, so
 * they are on by their own annotations). The pool exhaustion is reported straight to the pools here; the
 * clients that detect one have their own integration tests.
 */
class JfrEventsTest {

    @Test
    void exhaustionsAndLeaksAreRecordedWithTheirFields(@TempDir Path dir) throws Exception {
        Registry registry = new Registry(new SiteRules(Collections.emptyList()), Registry.StackMode.SAMPLED, true,
                60_000);
        Core core = new Core(registry, "test");
        JfrEvents.install(core);
        Path file = dir.resolve("events.jfr");
        Object holder;
        try (Recording recording = new Recording(Configuration.getConfiguration("default"))) {
            recording.start();
            holder = UserCode.open(registry, new Object());
            String site = UserCode.lastFrame;
            core.pools().exhausted(Client.OKHTTP, "http://h:81", 1, 1, 3);
            UserCode.open(registry, new Object()); // dropped: leaks
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (registry.tally(Client.OKHTTP).leaked < 1 && System.nanoTime() < deadline) {
                registry.settle(500);
            }
            recording.stop();
            recording.dump(file);

            List<RecordedEvent> exhausted = new ArrayList<>();
            List<RecordedEvent> leaks = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().equals("dev.httpleak.PoolExhausted")) {
                    exhausted.add(e);
                } else if (e.getEventType().getName().equals("dev.httpleak.Leak")) {
                    leaks.add(e);
                }
            }
            assertEquals(1, exhausted.size(), exhausted::toString);
            RecordedEvent x = exhausted.get(0);
            assertEquals("okhttp", x.getString("client"));
            assertEquals("http://h:81", x.getString("route"));
            assertEquals(1, x.getInt("leased"));
            assertEquals(1, x.getInt("max"));
            assertEquals(3, x.getInt("pending"));
            assertTrue(x.getString("holders").startsWith("1 at " + site + " (oldest "), x::toString);

            assertEquals(1, leaks.size(), leaks::toString);
            RecordedEvent leak = leaks.get(0);
            assertEquals("okhttp", leak.getString("client"));
            assertEquals(UserCode.lastFrame, leak.getString("site"));
            assertEquals("GET http://h:81/a?token=*", leak.getString("request"));
            assertEquals(200, leak.getInt("status"));
            assertEquals(1L, leak.getLong("siteLeaks"));
            assertTrue(Arrays.asList(leak.getString("stack").split("\n")).contains(UserCode.lastFrame), leak::toString);
        }
        assertNotNull(holder);
    }
}
