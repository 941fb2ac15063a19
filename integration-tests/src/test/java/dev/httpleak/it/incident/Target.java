package dev.httpleak.it.incident;

import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A running {@link IncidentApp} JVM started without the agent, driven line by line through its standard input. */
final class Target implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 60;

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    final Path stderr;

    private Target(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        }, "target-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static Target start(Jdks.Jdk jdk, Path dir, String... jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jdk.java.toString());
        command.addAll(Tls.trustOptions());
        command.addAll(Arrays.asList(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("httpleak.testClasspath"));
        command.add(IncidentApp.class.getName());
        Path err = dir.resolve("target-stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        Target t = new Target(p, err);
        t.await("ready");
        return t;
    }

    long pid() {
        return process.pid();
    }

    /** Sends a command and waits for its {@code done} line. */
    void send(String command) throws Exception {
        stdin.write(command + "\n");
        stdin.flush();
        await("done " + command);
    }

    private void await(String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                stdout.add(line);
                if (line.equals(expected)) {
                    return;
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("target never printed '" + expected + "'\nstdout: " + stdout + "\nstderr:\n"
                + stderrText());
    }

    /** Waits (bounded) until the target's standard error holds a line that matches. */
    String awaitStderr(Predicate<String> matches, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            String text = stderrText();
            for (String line : text.split("\n")) {
                if (matches.test(line)) {
                    return text;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("target's stderr never showed " + what + ":\n" + stderrText());
    }

    String stderrText() {
        try {
            return Files.isRegularFile(stderr) ? new String(Files.readAllBytes(stderr), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(could not read " + stderr + ": " + e + ")";
        }
    }

    /** Tells it to exit and waits; returns its exit code. */
    int exit() throws Exception {
        stdin.write("exit\n");
        stdin.flush();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("target did not exit\n" + stderrText());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** The CLI ({@code java -jar httpleak-agent.jar ARGS}) run to its end in its own JVM. */
    static Cli cli(Jdks.Jdk jdk, Path dir, List<String> jvmOptions, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jdk.java.toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(dev.httpleak.it.support.Forked.agentJar().toString());
        command.addAll(Arrays.asList(args));
        return run(dir, command);
    }

    static Cli cli(Jdks.Jdk jdk, Path dir, String... args) throws Exception {
        return cli(jdk, dir, new ArrayList<>(), args);
    }

    /** The JDK's own {@code jcmd PID ARGS}, the way an operator starts a recording. */
    Cli jcmd(Jdks.Jdk jdk, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jdk.java.resolveSibling("jcmd").toString());
        command.add(Long.toString(pid()));
        command.addAll(Arrays.asList(args));
        return run(dir, command);
    }

    private static Cli run(Path dir, List<String> command) throws Exception {
        Path out = Files.createTempFile(dir, "cli", ".out");
        Path err = Files.createTempFile(dir, "cli", ".err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end: " + command);
        }
        return new Cli(command, p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8),
                new String(Files.readAllBytes(err), StandardCharsets.UTF_8));
    }

    /** What one CLI run did. */
    static final class Cli {
        final List<String> command;
        final int exitCode;
        final String stdout;
        final String stderr;

        Cli(List<String> command, int exitCode, String stdout, String stderr) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit " + exitCode + "\nstdout:\n" + stdout
                    + "\nstderr:\n" + stderr;
        }
    }
}
