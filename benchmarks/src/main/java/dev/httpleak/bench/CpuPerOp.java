package dev.httpleak.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * A JMH profiler: the CPU time the benchmark's JVM spent per operation of an iteration, all its threads together
 * (the client's, the responder's, the JIT's and GC's, the agent's). Beside the throughput it tells a fork that
 * spent more CPU per request from one that waited more.
 */
public final class CpuPerOp implements InternalProfiler {

    /** The secondary result's name, as JMH reports it. */
    static final String NAME = "cpu.ns/op";

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark's JVM per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        cpuAtStart = OS.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
            IterationResult result) {
        long cpu = OS.getProcessCpuTime() - cpuAtStart;
        long ops = result.getMetadata().getMeasuredOps();
        return ops <= 0 || cpu < 0 ? List.of()
                : List.of(new ScalarResult(NAME, (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
