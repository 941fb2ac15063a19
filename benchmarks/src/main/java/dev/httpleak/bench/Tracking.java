package dev.httpleak.bench;

import dev.httpleak.bootstrap.Hooks;
import dev.httpleak.core.Core;
import dev.httpleak.core.Registry;
import dev.httpleak.core.SiteRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own work per request, without a network: the hook calls that urlconnection's advice makes for one
 * response (open; end at EOF; the close, which ends it again), on a real {@link Core} and {@link Registry}, with a
 * fresh object standing in for each body. {@link Get} measures what a request costs the application on this
 * machine, where any added time is magnified and the noise is as large as the agent; this measures the agent's
 * code alone, to a few nanoseconds, which is what a change to the hooks or the registry moves. Needs the agent jar
 * on the class path:
 * {@code java -cp benchmarks/target/benchmarks.jar:benchmarks/target/httpleak-agent.jar org.openjdk.jmh.Main Tracking}
 * (add {@code -t 2} for one thread per core of a 2-core machine; with more threads than cores the time per operation
 * includes waiting for a core).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
@State(Scope.Benchmark)
public class Tracking {

    /** The registry's stack mode, as {@code stacks=} sets it. */
    @Param({"sampled", "all"})
    public String stacks;

    private URL url;

    @Setup(Level.Trial)
    public void start() throws Exception {
        Registry registry = new Registry(new SiteRules(Collections.emptyList()),
                Registry.StackMode.valueOf(stacks.toUpperCase(Locale.ROOT)), true, 60_000);
        if (!Hooks.install(new Core(registry, "benchmark"))) {
            throw new IllegalStateException("the hooks have a core already; run in a fork of its own");
        }
        url = URI.create("http://127.0.0.1:8080/bytes").toURL();
    }

    @Benchmark
    public Object urlconnectionBody() {
        Object body = new Object();
        Hooks.opened("urlconnection", body, "GET", url, 200, null);
        Hooks.ended(body, false); // read() returned -1
        Hooks.closeStarted(body);
        Hooks.closeFinished(body);
        return body;
    }
}
