package dev.httpleak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a scenario's {@code main} in a new JVM with the packaged agent jar ({@code -javaagent}), waits for it,
 * and reads what it printed and the JSON report it left.
 */
public final class Forked {

    private static final long TIMEOUT_SECONDS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdks.Jdk jdk;
    private final Class<?> main;
    private String agentOptions = "";
    private boolean agent = true;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> classpath = new ArrayList<>();
    private final List<String> args = new ArrayList<>();

    private Forked(Jdks.Jdk jdk, Class<?> main) {
        this.jdk = jdk;
        this.main = main;
        classpath.add(System.getProperty("httpleak.testClasspath"));
    }

    public static Forked run(Jdks.Jdk jdk, Class<?> main) {
        return new Forked(jdk, main);
    }

    /** Agent options, without {@code report=} (always set). */
    public Forked agentOptions(String options) {
        this.agentOptions = options;
        return this;
    }

    /** Starts the JVM without the agent (for attach tests, and for comparing output). */
    public Forked withoutAgent() {
        this.agent = false;
        return this;
    }

    public Forked jvm(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /** More classpath entries (such as one version of a client library), before the test classes. */
    public Forked classpath(String... entries) {
        classpath.addAll(0, Arrays.asList(entries));
        return this;
    }

    public Forked args(String... arguments) {
        args.addAll(Arrays.asList(arguments));
        return this;
    }

    /** Runs the JVM to its end; fails if it does not end within two minutes. */
    public Result go() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Paths.get("target"), "fork");
        Path report = dir.resolve("report.json");
        List<String> command = command(report);
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("forked JVM did not end in " + TIMEOUT_SECONDS + " s: " + command
                    + "\nstderr:\n" + read(dir.resolve("stderr.txt")));
        }
        return new Result(command, process.exitValue(), read(dir.resolve("stdout.txt")),
                read(dir.resolve("stderr.txt")), report);
    }

    /** The command line that starts this JVM; the agent, when started with it, writes its report to {@code report}. */
    public List<String> command(Path report) {
        List<String> command = new ArrayList<>();
        command.add(jdk.java.toString());
        command.addAll(Tls.trustOptions());
        if (agent) {
            String options = "report=" + report + (agentOptions.isEmpty() ? "" : "," + agentOptions);
            command.add("-javaagent:" + agentJar() + "=" + options);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /** The packaged agent jar (the build passes its path). */
    public static Path agentJar() {
        Path jar = Paths.get(System.getProperty("httpleak.agentJar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no agent jar at " + jar + "; run ./mvnw package first");
        }
        return jar;
    }

    private static String read(Path file) throws IOException {
        return Files.isRegularFile(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }

    /** What a forked JVM did. */
    public static final class Result {
        public final List<String> command;
        public final int exitCode;
        public final String stdout;
        public final String stderr;
        private final Path reportFile;

        Result(List<String> command, int exitCode, String stdout, String stderr, Path reportFile) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.reportFile = reportFile;
        }

        /** The JSON report the agent wrote at exit; fails with the JVM's output when there is none. */
        public JsonNode report() throws IOException {
            if (!Files.isRegularFile(reportFile)) {
                throw new AssertionError("no report written\n" + this);
            }
            return JSON.readTree(reportFile.toFile());
        }

        /** Fails unless the JVM exited normally. */
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("forked JVM exited with " + exitCode + "\n" + this);
            }
            return this;
        }

        @Override
        public String toString() {
            return "command: " + String.join(" ", command) + "\nexit: " + exitCode + "\nstdout:\n" + stdout
                    + "\nstderr:\n" + stderr;
        }
    }
}
