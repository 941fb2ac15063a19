package dev.httpleak.it.incident;

import dev.httpleak.it.apache.Apache4App;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Recordings;
import dev.httpleak.it.support.Sites;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code dev.httpleak.PoolExhausted} from a real exhausted pool (Apache HttpClient 4.5, newest version): two
 * responses held in a pool of two, a third request waits. Recorded by a plain {@code -XX:StartFlightRecording}.
 */
class JfrPoolExhaustedTest {

    @ParameterizedTest
    @MethodSource("dev.httpleak.it.support.Jdks#all")
    void exhaustedPoolIsRecordedWithItsHolders(Jdks.Jdk jdk) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("target"), "jfr-exhausted");
        Path recording = dir.resolve("recording.jfr").toAbsolutePath();
        Forked.run(jdk, Apache4App.class).classpath(newestApache4()).agentOptions("log=stderr")
                .jvm("-XX:StartFlightRecording:filename=" + recording).args("exhaust:1:http").go().ok();

        List<RecordedEvent> exhausted = Recordings.events(recording, "dev.httpleak.PoolExhausted");
        assertEquals(1, exhausted.size(), exhausted::toString);
        RecordedEvent e = exhausted.get(0);
        assertEquals("apache-httpclient4", e.getString("client"));
        assertTrue(e.getString("route").startsWith("http://127.0.0.1:"), e::toString);
        assertEquals(2, e.getInt("leased"), e::toString);
        assertEquals(2, e.getInt("max"), e::toString);
        assertTrue(e.getInt("pending") >= 1, e::toString);
        String site = Sites.of(Apache4App.class, "holdConnection", "exhaust");
        assertTrue(e.getString("holders").startsWith("2 at " + site + " (oldest "), e::toString);
    }

    /** The jars of the newest Apache HttpClient 4.5 the build prepared ({@code clients/apache4-VERSION}). */
    private static String[] newestApache4() throws Exception {
        Path clients = Paths.get(System.getProperty("httpleak.clients"));
        Path newest;
        try (Stream<Path> dirs = Files.list(clients)) {
            newest = dirs.filter(p -> p.getFileName().toString().startsWith("apache4-"))
                    .max((a, b) -> compareVersions(a.getFileName().toString().substring(8),
                            b.getFileName().toString().substring(8)))
                    .orElseThrow(() -> new IllegalStateException("no apache4-* folder under " + clients));
        }
        try (Stream<Path> jars = Files.list(newest)) {
            return jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted()
                    .collect(Collectors.toList()).toArray(new String[0]);
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
