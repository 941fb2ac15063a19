package dev.httpleak.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfilesTest {

    @Test
    void theAgentsOwnCodeIsWhatRunsBelowItsDeepestFrameOutsideTheClient() {
        // A hook called from the client's code, doing its own work (and the JDK code it calls).
        assertTrue(Profiles.own(frames("[w tid=1];okhttp3/RealCall.execute;dev/httpleak/bootstrap/Hooks.wrap;"
                + "java/lang/ThreadLocal.get")));
        // A wrapper handing a call on to the client: the client's work.
        assertFalse(Profiles.own(frames("[w tid=1];dev/httpleak/instrumentation/jdkhttpclient/Wrapper.onNext;"
                + "jdk/internal/net/http/Http1Response.read")));
        // The benchmark is not the agent.
        assertFalse(Profiles.own(frames("[w tid=1];dev/httpleak/bench/Get.okhttp;okhttp3/RealCall.execute")));
    }

    @Test
    void threadsAreGroupedByNameWithoutNumbers() {
        assertEquals("benchmark threads (the client's calls)",
                Profiles.threadGroup(frames("[dev.httpleak.bench.Get.apacheHttpClient4-jmh-worker-3 tid=12];x")));
        assertEquals("responder", Profiles.threadGroup(frames("[responder-37414 tid=26877];x")));
        assertEquals("responder", Profiles.threadGroup(frames("[tid=28679];dev/httpleak/bench/Responder.serve")));
        assertEquals("JIT compilers", Profiles.threadGroup(frames("[C2 CompilerThre tid=8];x")));
        assertEquals("GC", Profiles.threadGroup(frames("[GC Thread#1 tid=9];x")));
        assertEquals("HttpClient-Worker", Profiles.threadGroup(frames("[HttpClient-1-Worker-7 tid=40];x")));
    }

    @Test
    void aPartsCpuPerRequestIsItsShareOfTheForksCpuPerRequest(@TempDir Path fork) throws IOException {
        Files.writeString(fork.resolve("result.csv"), "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\","
                + "\"Score Error (99.9%)\",\"Unit\"\n"
                + "\"dev.httpleak.bench.Get.okhttp\",\"thrpt\",8,10,60000.0,100.0,\"ops/s\"\n"
                + "\"dev.httpleak.bench.Get.okhttp:cpu.ns/op\",\"thrpt\",8,10,30000.0,10.0,\"ns/op\"\n");
        Path stacks = Files.createDirectories(fork.resolve("dev.httpleak.bench.Get.okhttp-Throughput"));
        Files.writeString(stacks.resolve("collapsed-itimer.csv"),
                "[responder-1 tid=2];dev/httpleak/bench/Responder.serve 60\n"
                        + "[dev.httpleak.bench.Get.okhttp-jmh-worker-1 tid=3];okhttp3/RealCall.execute 30\n"
                        + "[dev.httpleak.bench.Get.okhttp-jmh-worker-1 tid=3];okhttp3/RealCall.execute;"
                        + "dev/httpleak/bootstrap/Hooks.wrap 10\n");

        Profiles.Fork f = Profiles.Fork.read(fork);

        assertEquals(60_000.0, f.opsPerSecond);
        assertEquals(100, f.total);
        assertEquals(3_000.0, f.nanosPerOp(Profiles.OWN), 1e-9);
        assertEquals(18_000.0, f.nanosPerOp("responder"), 1e-9);
        assertEquals(9_000.0, f.nanosPerOp("benchmark threads (the client's calls)"), 1e-9);
    }

    private static String[] frames(String stack) {
        return stack.split(";");
    }
}
