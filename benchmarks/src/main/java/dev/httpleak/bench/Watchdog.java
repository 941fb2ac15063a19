package dev.httpleak.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Kills the processes this JVM started (JMH's forks) once they outlive a deadline, each after a thread dump into a
 * file. JMH's own timeout ends a measured iteration, not the warm-down after the last one: a jdk-httpclient fork once
 * hung there with one {@code send} that never returned, and the whole run with it.
 */
final class Watchdog implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fork-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final String jcmd;
    private final Path dumps;
    private final ScheduledFuture<?> alarm;
    private volatile List<Path> dumped;

    /** Kills this JVM's descendants after {@code deadline} unless closed first; {@code java} is the forks' JDK. */
    Watchdog(Duration deadline, String java, Path dumps) {
        this.jcmd = Path.of(java).resolveSibling("jcmd").toString();
        this.dumps = dumps;
        this.alarm = TIMER.schedule(this::fire, deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether it killed anything; then {@link #dumps()} names the thread dumps. */
    boolean fired() {
        return dumped != null;
    }

    List<Path> dumps() {
        return dumped == null ? List.of() : dumped;
    }

    private void fire() {
        // A list first: the dumps start processes of their own.
        List<ProcessHandle> forks = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .collect(Collectors.toList());
        List<Path> files = new ArrayList<>();
        for (ProcessHandle fork : forks) {
            Path file = dumps.resolve("hung-fork-" + fork.pid() + "-" + Overhead.fileStamp() + ".txt");
            threadDump(fork.pid(), file);
            files.add(file);
        }
        dumped = files; // before the kill: whoever sees a fork die must see that it was killed
        forks.forEach(ProcessHandle::destroyForcibly);
    }

    /** Best effort: a fork that is not a JVM, or one too stuck to answer, leaves jcmd's error in the file. */
    private void threadDump(long pid, Path file) {
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("no thread dump of fork " + pid + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        alarm.cancel(false);
    }
}
