package dev.httpleak.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchdogTest {

    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** A fork that never ends. */
    public static final class Hang {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void killsAForkThatOutlivesItsDeadlineAfterDumpingItsThreads(@TempDir Path dir) throws Exception {
        Process fork = hangingFork();
        try (Watchdog watchdog = new Watchdog(Duration.ofSeconds(1), JAVA, dir)) {
            assertTrue(fork.waitFor(2, TimeUnit.MINUTES), "the watchdog did not kill the fork");
            assertTrue(watchdog.fired());
            List<Path> dumps = watchdog.dumps();
            assertEquals(1, dumps.size(), dumps::toString);
            assertEquals(dir, dumps.get(0).getParent());
            assertTrue(dumps.get(0).getFileName().toString().startsWith("hung-fork-" + fork.pid() + "-"));
            String dump = Files.readString(dumps.get(0));
            assertTrue(dump.contains("at " + Hang.class.getName() + ".main("), dump);
        } finally {
            fork.destroyForcibly();
        }
    }

    @Test
    void leavesAForkAloneWhenClosedBeforeItsDeadline(@TempDir Path dir) throws Exception {
        Process fork = hangingFork();
        try {
            Watchdog watchdog = new Watchdog(Duration.ofMillis(500), JAVA, dir);
            watchdog.close();
            assertFalse(fork.waitFor(3, TimeUnit.SECONDS), "the fork was killed");
            assertFalse(watchdog.fired());
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count());
            }
        } finally {
            fork.destroyForcibly();
        }
    }

    /** Started and past its JVM's start, so that a thread dump finds it. */
    private static Process hangingFork() throws IOException {
        Process fork = new ProcessBuilder(JAVA, "-cp", System.getProperty("java.class.path"), Hang.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] ready = fork.getInputStream().readNBytes("ready".length());
        assertEquals("ready", new String(ready), "the fork did not start");
        return fork;
    }
}
