package dev.httpleak.it.apache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import dev.httpleak.it.support.Forked;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Sites;
import dev.httpleak.it.support.Tls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.httpleak.it.support.Reports.assertCounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent attached to a running JVM whose Apache client and pool were built (and one connection leased)
 * before: the pool is found at its next lease, with every leased connection, and only bodies opened after the
 * attach are counted. Newest 4.5 and 5.x, JDK 17 and 25.
 */
class ApacheAttachTest {

    static Stream<Arguments> jdksAndLines() throws Exception {
        List<Arguments> list = new ArrayList<>();
        for (Jdks.Jdk jdk : Jdks.all()) {
            for (String line : new String[] {"apache4", "apache5"}) {
                List<String> folders = ApacheVersions.folders(line);
                list.add(Arguments.of(jdk, folders.get(folders.size() - 1)));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndLines")
    void poolsBuiltBeforeTheAttachAreFound(Jdks.Jdk jdk, String version) throws Exception {
        boolean four = version.startsWith("apache4");
        String client = four ? "apache-httpclient4" : "apache-httpclient5";
        Path dir = Files.createTempDirectory(Paths.get("target"), "attach");
        Path report = dir.resolve("report.json").toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(jdk.java.toString());
        command.addAll(Tls.trustOptions());
        command.add("-XX:+EnableDynamicAgentLoading");
        List<String> classpath = new ArrayList<>(List.of(ApacheVersions.jars(version)));
        classpath.add(System.getProperty("httpleak.testClasspath"));
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(ApacheAttachApp.class.getName());
        command.add(four ? "4" : "5");
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
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        // Counted: the two responses held after the attach (open) and one correct call; not the one before.
        assertCounts(r, client, 3, 1, 0, 2, 0);
        String site = ApacheAttachApp.class.getName() + (four ? "$Four" : "$Five") + ".hold(ApacheAttachApp.java:"
                + line(four ? "hold4" : "hold5") + ")";
        for (JsonNode body : r.get("openBodies")) {
            assertEquals(site, body.get("site").asText(), body::toString);
        }
        // The pool built before the attach is listed, with all three leased connections.
        List<JsonNode> pools = ApacheVersions.pools(r, client);
        assertEquals(1, pools.size(), () -> r.get("pools").toPrettyString());
        assertEquals(3, pools.get(0).get("leased").asInt(), pools.get(0)::toString);
        assertEquals(50, pools.get(0).get("max").asInt(), pools.get(0)::toString);
    }

    /** The line number of the {@code // site:MARKER} line (as {@link Sites} finds it, for a nested class). */
    private static String line(String marker) {
        String frame = Sites.of(ApacheAttachApp.class, "x", marker);
        return frame.substring(frame.lastIndexOf(':') + 1, frame.length() - 1);
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
