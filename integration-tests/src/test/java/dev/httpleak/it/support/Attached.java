package dev.httpleak.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent attached by PID to a JVM started without it, as in a production incident. The target's main runs
 * {@link #target}: its work before the attach, {@code ready}; then, on {@code go} from the test, its work after the
 * attach and {@code done go}; on {@code exit} it ends, and the agent writes its report.
 */
public final class Attached {

    /** Work of the target JVM, before or after the attach. */
    public interface Work {
        void run() throws Exception;
    }

    private Attached() {
    }

    /** The target's side: call from its main. */
    public static void target(Work before, Work after) throws Exception {
        before.run();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = in.readLine()) != null; ) {
            if (command.equals("go")) {
                after.run();
                System.out.println("done go");
            } else if (command.equals("exit")) {
                return;
            }
        }
    }

    /**
     * Starts {@code main} on {@code jdk} without the agent, with the client's jars and the test classes, attaches
     * the packaged agent once it is ready, lets it go, ends it, and returns the report the agent wrote at exit.
     */
    public static JsonNode run(Jdks.Jdk jdk, Class<?> main, String[] jars, String... args) throws Exception {
        Path dir = Files.createTempDirectory(Paths.get("target"), "attach");
        Path report = dir.resolve("report.json").toAbsolutePath();
        List<String> command = Forked.run(jdk, main).withoutAgent().jvm("-XX:+EnableDynamicAgentLoading")
                .classpath(jars).args(args).command(report);
        Process process = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            await(out, "ready", dir);
            VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
            try {
                vm.loadAgent(Forked.agentJar().toString(), "report=" + report + ",log=stderr");
            } finally {
                vm.detach();
            }
            in.write("go\n");
            in.flush();
            await(out, "done go", dir);
            in.write("exit\n");
            in.flush();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "target did not exit");
            assertEquals(0, process.exitValue(), () -> stderr(dir));
        } finally {
            process.destroyForcibly();
        }
        assertTrue(Files.isRegularFile(report), () -> "no report\n" + stderr(dir));
        return new ObjectMapper().readTree(report.toFile());
    }

    private static void await(BufferedReader out, String expected, Path dir) throws Exception {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("target never printed '" + expected + "'\n" + stderr(dir));
    }

    private static String stderr(Path dir) {
        try {
            return new String(Files.readAllBytes(dir.resolve("stderr.txt")), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "(no stderr: " + e + ")";
        }
    }
}
