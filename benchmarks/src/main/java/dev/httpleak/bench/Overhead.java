package dev.httpleak.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole overhead measurement in one run: throughput of every client (1 and 8 threads) in forks without the
 * agent, with its default options and with {@code stacks=all}; a calibration (what a known busy loop per request
 * does to the throughput without the agent); memory per open body and per leak site; start-up time added by the
 * agent. Writes a Markdown table to {@code results/latest.md} (and a dated copy).
 *
 * <p>The three variants of a benchmark run in turns, one fork each, in rounds (see {@link Settings#forks}): a machine
 * that slows down during the run slows all three alike instead of skewing a ratio. Each round starts with the
 * next variant: five rounds of three identical JVMs (apache-httpclient4, 8 threads) averaged 2% less in the
 * third place than in the first, as much as the agent's cost being measured. Each fork also reports the CPU time its
 * JVM used per operation ({@link CpuPerOp}), which tells a cost in CPU from time spent waiting.
 */
public final class Overhead {

    /** Benchmark method of {@link Get} per client id, in report order. */
    static final Map<String, String> CLIENTS = new LinkedHashMap<>();

    static {
        CLIENTS.put("jdk-httpclient", "jdkHttpClient");
        CLIENTS.put("urlconnection", "urlConnection");
        CLIENTS.put("apache-httpclient4", "apacheHttpClient4");
        CLIENTS.put("apache-httpclient5", "apacheHttpClient5");
        CLIENTS.put("okhttp", "okhttp");
    }

    /** The variants, in the order each round runs them: name, agent options (null: no agent). */
    static final String[][] MODES = {{"none", null}, {"default", ""}, {"stacks=all", "stacks=all"}};

    /** Busy work per request of the calibration forks, in nanoseconds (see {@link #calibration}). */
    static final long[] WORK_NANOS = {250, 500};

    private Overhead() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.parse(args);
        if (s == null) {
            return;
        }
        Files.createDirectories(s.out);
        StringBuilder md = new StringBuilder();
        md.append("## Overhead\n\n");
        md.append("Command: `").append(s.command).append("`\n\n");
        md.append(machine(s)).append('\n');
        if (s.throughput) {
            md.append(throughput(s)).append('\n');
        }
        if (s.calibration) {
            md.append(calibration(s)).append('\n');
        }
        if (s.memory) {
            md.append(memory(s)).append('\n');
        }
        if (s.startup) {
            md.append(startup(s)).append('\n');
        }
        String text = md.toString();
        Path latest = s.out.resolve("latest.md");
        Files.write(latest, text.getBytes(StandardCharsets.UTF_8));
        Files.write(s.out.resolve("overhead-" + s.stamp + ".md"), text.getBytes(StandardCharsets.UTF_8));
        System.out.println();
        System.out.println(text);
        System.out.println("Written to " + latest);
    }

    /**
     * Throughput and CPU time per operation per client, threads and variant; the ratios are medians over rounds of
     * agent over none.
     */
    private static String throughput(Settings s) throws RunnerException {
        StringBuilder t = new StringBuilder();
        t.append("### Throughput (keep-alive GET of a ").append(Responder.BODY_BYTES)
                .append("-byte body, read and closed)\n\n");
        t.append(String.format(Locale.ROOT, "JMH: one fork per variant and round, run in turns; %s; %d x %ds "
                + "warm-up, %d x %ds measurement per fork.%n%n", s.roundsText(), s.warmups, s.warmupSeconds,
                s.iterations, s.iterationSeconds));
        t.append(RATIOS);
        t.append("| client | threads | ops/s no agent | CPU µs per op, no agent | default: ratio per CPU second "
                + "(range over rounds) | default: ratio of ops/s (range) | stacks=all: ratio per CPU second (range) "
                + "| stacks=all: ratio of ops/s (range) |\n");
        t.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        StringBuilder raw = new StringBuilder("client,threads,mode,round,ops_per_s,cpu_ns_per_op\n");
        for (String client : s.clients) {
            for (int threads : s.threads) {
                String[] labels = new String[MODES.length];
                String[] options = new String[MODES.length];
                for (int m = 0; m < MODES.length; m++) {
                    labels[m] = String.format(Locale.ROOT, "%-19s %d thread(s) %-10s", client, threads, MODES[m][0]);
                    options[m] = agent(s, MODES[m][1]);
                }
                Forks f = inTurns(s, client, threads, labels, options);
                for (int round = 0; round < s.rounds(threads); round++) {
                    for (int turn = 0; turn < MODES.length; turn++) {
                        int m = (round + turn) % MODES.length; // the order they started in
                        raw.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%.1f,%.1f%n", client, threads,
                                MODES[m][0], round + 1, f.ops[m][round], 1e9 / f.perCpuSecond[m][round]));
                    }
                }
                t.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %.1f | %s | %s | %s | %s |%n", client,
                        threads, Pool.median(f.ops[0]), 1e6 / Pool.median(f.perCpuSecond[0]),
                        ratio(f.perCpuSecond[1], f.perCpuSecond[0]), ratio(f.ops[1], f.ops[0]),
                        ratio(f.perCpuSecond[2], f.perCpuSecond[0]), ratio(f.ops[2], f.ops[0])));
            }
        }
        try {
            byte[] csv = raw.toString().getBytes(StandardCharsets.UTF_8);
            Files.write(s.out.resolve("throughput-latest.csv"), csv);
            // Kept per run, so that Pool can pool the rounds of several runs.
            Files.write(s.out.resolve("throughput-" + s.stamp + ".csv"), csv);
        } catch (IOException e) {
            System.err.println("could not write the raw scores: " + e);
        }
        return t.toString();
    }

    /** What the two ratios of the throughput and calibration tables are. */
    private static final String RATIOS = "Ratios other/none, medians over the rounds (range in brackets). *Of "
            + "ops/s*: the throughput. *Per CPU second*: operations per second of CPU time the fork's JVM used (all "
            + "its threads, as the OS counts them), what a service bound by its CPU keeps; where it is higher than "
            + "the ratio of ops/s, the fork lost time waiting, not computing.\n\n";

    /**
     * What a known cost per request, spent without the agent, does on this machine: urlconnection at the most
     * threads measured, no agent, with a busy loop of each of {@link #WORK_NANOS} in every request (where the
     * agent's end hooks run), against no agent and no loop; same rounds as the throughput.
     */
    private static String calibration(Settings s) throws RunnerException {
        int threads = Arrays.stream(s.threads).max().orElse(8);
        StringBuilder t = new StringBuilder();
        t.append("### Calibration: a known cost per request, without the agent\n\n");
        t.append(String.format(Locale.ROOT, "urlconnection, %d threads, no agent; each request also spins for the "
                + "time shown after reading its body. Same JMH settings and rounds as above.%n%n", threads));
        t.append(RATIOS);
        t.append("| busy work per request | ops/s | CPU µs per op | ratio per CPU second (range over rounds) "
                + "| ratio of ops/s (range) |\n");
        t.append("| ---: | ---: | ---: | ---: | ---: |\n");
        long[] work = new long[WORK_NANOS.length + 1];
        System.arraycopy(WORK_NANOS, 0, work, 1, WORK_NANOS.length);
        String[] labels = new String[work.length];
        String[] options = new String[work.length];
        for (int w = 0; w < work.length; w++) {
            labels[w] = "calibration " + work[w] + " ns";
            options[w] = "-Dhttpleak.bench.workNanos=" + work[w];
        }
        Forks f = inTurns(s, "urlconnection", threads, labels, options);
        for (int w = 0; w < work.length; w++) {
            t.append(String.format(Locale.ROOT, "| %d ns | %,.0f | %.1f | %s | %s |%n", work[w],
                    Pool.median(f.ops[w]), 1e6 / Pool.median(f.perCpuSecond[w]),
                    w == 0 ? "1" : ratio(f.perCpuSecond[w], f.perCpuSecond[0]),
                    w == 0 ? "1" : ratio(f.ops[w], f.ops[0])));
        }
        return t.toString();
    }

    /** The forks of one benchmark: by variant, then round. */
    private static final class Forks {
        final double[][] ops;
        /** Operations per second of the fork's CPU time (see {@link CpuPerOp}). */
        final double[][] perCpuSecond;

        Forks(int variants, int rounds) {
            ops = new double[variants][rounds];
            perCpuSecond = new double[variants][rounds];
        }
    }

    /**
     * Runs one benchmark once per variant (one more JVM option each, or null) in each of {@code --forks} rounds, in
     * turns: each round starts with the next variant, so each takes each place. Returns the forks' results and prints
     * each as it comes, after its label.
     */
    private static Forks inTurns(Settings s, String client, int threads, String[] labels, String[] jvmOptions)
            throws RunnerException {
        int rounds = s.rounds(threads);
        Forks forks = new Forks(jvmOptions.length, rounds);
        for (int round = 0; round < rounds; round++) {
            for (int turn = 0; turn < jvmOptions.length; turn++) {
                int v = (round + turn) % jvmOptions.length;
                double[] fork = run(s, client, threads, jvmOptions[v]);
                forks.ops[v][round] = fork[0];
                forks.perCpuSecond[v][round] = fork[1];
                System.out.printf(Locale.ROOT, "%s round %d: %,.0f ops/s, %.1f µs CPU per op%n", labels[v], round + 1,
                        fork[0], 1e6 / fork[1]);
            }
        }
        return forks;
    }

    /** The JVM option that starts the agent with these options, or null for no agent. */
    private static String agent(Settings s, String options) {
        return options == null ? null : "-javaagent:" + s.agent + (options.isEmpty() ? "" : "=" + options);
    }

    /**
     * One fork of one benchmark, with one more JVM option (or null); returns its mean ops/s and its operations per
     * second of CPU time. A fork that outlives {@link Settings#forkTimeout()} is killed (see {@link Watchdog}) and run
     * once more; a second hang ends the run.
     */
    private static double[] run(Settings s, String client, int threads, String jvmOption) throws RunnerException {
        for (int attempt = 1; ; attempt++) {
            try (Watchdog watchdog = new Watchdog(s.forkTimeout(), s.java(), s.out)) {
                try {
                    return fork(s, client, threads, jvmOption);
                } catch (RunnerException e) {
                    if (!watchdog.fired()) {
                        throw e;
                    }
                    String hung = String.format(Locale.ROOT, "%s, %d thread(s): the fork ran past %d s and was killed "
                            + "(thread dump: %s)", client, threads, s.forkTimeout().toSeconds(), watchdog.dumps());
                    if (attempt > 1) {
                        throw new RunnerException(hung + "; the second time, so the run stops", e);
                    }
                    System.out.println(hung + "; running it once more");
                }
            }
        }
    }

    private static double[] fork(Settings s, String client, int threads, String jvmOption) throws RunnerException {
        List<String> jvm = new ArrayList<>(Arrays.asList("-Xms512m", "-Xmx512m", "-Dhttp.maxConnections=" + Get.CONNECTIONS));
        if (jvmOption != null) {
            jvm.add(jvmOption);
        }
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(Get.class.getName() + "." + CLIENTS.get(client) + "$")
                .forks(1)
                .threads(threads)
                .warmupIterations(s.warmups)
                .warmupTime(TimeValue.seconds(s.warmupSeconds))
                .measurementIterations(s.iterations)
                .measurementTime(TimeValue.seconds(s.iterationSeconds))
                .jvmArgs(jvm.toArray(new String[0]))
                .addProfiler(CpuPerOp.class)
                .shouldFailOnError(true)
                .verbosity(s.verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
        if (s.jvm != null) {
            o.jvm(s.jvm);
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        if (results.isEmpty()) {
            throw new RunnerException("no result for " + client);
        }
        RunResult result = results.iterator().next();
        Result<?> cpu = result.getSecondaryResults().get(CpuPerOp.NAME);
        if (cpu == null) {
            throw new RunnerException("no CPU time for " + client);
        }
        return new double[] {result.getPrimaryResult().getScore(), 1e9 / cpu.getScore()};
    }

    /** Runs {@link Memory} in its own JVM, with the agent jar on the class path, and returns its table. */
    private static String memory(Settings s) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(Arrays.asList(s.java(), "-Xms1g", "-Xmx1g", "-XX:+UseSerialGC",
                "-cp", s.jar + File.pathSeparator + s.agent, Memory.class.getName()));
        if (s.quick) {
            cmd.add("--quick");
        }
        return child("memory", cmd);
    }

    /** Runs {@link Startup} (which starts JVMs of its own) and returns its table. */
    private static String startup(Settings s) throws IOException, InterruptedException {
        return child("startup", Arrays.asList(s.java(), "-cp", s.jar.toString(), Startup.class.getName(),
                s.java(), s.jar.toString(), s.agent.toString(), Integer.toString(s.startupRuns)));
    }

    /** Runs a measurement JVM; its progress goes to stderr, its Markdown to stdout. */
    private static String child(String what, List<String> cmd) throws IOException, InterruptedException {
        System.out.println("Measuring " + what + "...");
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().collect(Collectors.joining("\n", "", "\n"));
        }
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException(what + " measurement failed (exit " + code + ")");
        }
        return out;
    }

    private static String machine(Settings s) throws IOException, InterruptedException {
        String cpu = "unknown";
        Path info = Paths.get("/proc/cpuinfo");
        if (Files.isReadable(info)) {
            try (Stream<String> lines = Files.lines(info)) {
                cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse(cpu);
            }
        }
        Process p = new ProcessBuilder(s.java(), "-XshowSettings:properties", "-version").redirectErrorStream(true)
                .start();
        String version = "";
        String vendor = "";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String l = line.trim();
                if (l.startsWith("java.runtime.version = ")) {
                    version = l.substring("java.runtime.version = ".length());
                } else if (l.startsWith("java.vendor = ")) {
                    vendor = l.substring("java.vendor = ".length());
                }
            }
        }
        p.waitFor();
        return String.format(Locale.ROOT, "Machine: %s, %d cores; JDK %s (%s); %s %s; %s.%n", cpu,
                Runtime.getRuntime().availableProcessors(), version, vendor, System.getProperty("os.name"),
                System.getProperty("os.version"), Instant.now().truncatedTo(ChronoUnit.MINUTES));
    }

    /**
     * The median over the rounds of each round's agent over none (each round's forks ran back to back), and its
     * range. The median, not the mean: on 2 cores a fork settles at one of two speeds, agent or not, and one fork
     * in the other mode moves a mean of a few rounds by 10 % or more.
     */
    private static String ratio(double[] agent, double[] none) {
        double[] ratios = new double[agent.length];
        for (int i = 0; i < agent.length; i++) {
            ratios[i] = agent[i] / none[i];
        }
        Arrays.sort(ratios);
        String r = String.format(Locale.ROOT, "%.3f", Pool.median(ratios));
        return ratios.length < 2 ? r
                : r + String.format(Locale.ROOT, " (%.2f–%.2f)", ratios[0], ratios[ratios.length - 1]);
    }

    /** Now, to the second, as a file name may hold it: {@code 2026-12-07T20-17-52Z}. */
    static String fileStamp() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-');
    }

    /** The command line. */
    static final class Settings {
        Path agent;
        Path jar;
        Path out = Paths.get("benchmarks", "results");
        String jvm;
        List<String> clients = new ArrayList<>(CLIENTS.keySet());
        int[] threads = {1, 8};
        /**
         * Rounds (one fork per variant each) of every benchmark; 0: {@link #rounds(int)}'s defaults. Three rounds let
         * each variant run once in each place; 8-thread forks settle at one of two speeds, so they get five.
         */
        int forks;
        /*
         * 30 s of warm-up: on 2 cores with 8 client and 8 server threads, -XX:+PrintCompilation showed the JIT still
         * compiling (and deoptimising) through the first 12 s without the agent and 20 s with it, and jdk-httpclient
         * without the agent climbed from 8,300 to 24,000 ops/s over its first 21 s (3 s iterations). With 18 s the
         * first measured iterations caught the agent's longer warm-up, not its steady cost.
         */
        int warmups = 10;
        int warmupSeconds = 3;
        int iterations = 4;
        int iterationSeconds = 2;
        int startupRuns = 21;
        /** Seconds after which a fork counts as hung; 0: twice its planned time and a minute. */
        int forkTimeoutSeconds;
        boolean throughput = true;
        boolean calibration = true;
        boolean memory = true;
        boolean startup = true;
        boolean quick;
        boolean verbose;
        String command;
        /** When the run started, as a file name may hold it: names the run's dated files. */
        final String stamp = fileStamp();

        int rounds(int threads) {
            return forks > 0 ? forks : threads == 1 ? 3 : 5;
        }

        Duration forkTimeout() {
            return Duration.ofSeconds(forkTimeoutSeconds > 0 ? forkTimeoutSeconds
                    : 2L * (warmups * warmupSeconds + iterations * iterationSeconds) + 60);
        }

        String roundsText() {
            return forks > 0 ? forks + " round(s)" : "3 rounds at 1 thread, 5 at more";
        }

        String java() {
            return jvm != null ? jvm : Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        }

        static Settings parse(String[] args) throws URISyntaxException {
            Settings s = new Settings();
            s.jar = Paths.get(Overhead.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String agent = System.getProperty("httpleak.bench.agent");
            s.command = System.getProperty("httpleak.bench.command", "java -jar benchmarks/target/benchmarks.jar "
                    + String.join(" ", args)).trim();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--agent": agent = args[++i]; break;
                    case "--out": s.out = Paths.get(args[++i]); break;
                    case "--jvm": s.jvm = args[++i]; break;
                    case "--clients": s.clients = Arrays.asList(args[++i].split(",")); break;
                    case "--threads": s.threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                    case "--forks": s.forks = Integer.parseInt(args[++i]); break;
                    case "--warmups": s.warmups = Integer.parseInt(args[++i]); break;
                    case "--warmup-seconds": s.warmupSeconds = Integer.parseInt(args[++i]); break;
                    case "--iterations": s.iterations = Integer.parseInt(args[++i]); break;
                    case "--seconds": s.iterationSeconds = Integer.parseInt(args[++i]); break;
                    case "--startup-runs": s.startupRuns = Integer.parseInt(args[++i]); break;
                    case "--fork-timeout": s.forkTimeoutSeconds = Integer.parseInt(args[++i]); break;
                    case "--only":
                        List<String> only = Arrays.asList(args[++i].split(","));
                        s.throughput = only.contains("throughput");
                        s.calibration = only.contains("calibration");
                        s.memory = only.contains("memory");
                        s.startup = only.contains("startup");
                        break;
                    case "--quick":
                        s.quick = true;
                        s.forks = 1;
                        s.warmups = 1;
                        s.warmupSeconds = 1;
                        s.iterations = 1;
                        s.iterationSeconds = 1;
                        s.startupRuns = 3;
                        break;
                    case "--verbose": s.verbose = true; break;
                    default:
                        System.out.println(usage());
                        return null;
                }
            }
            for (String c : s.clients) {
                if (!CLIENTS.containsKey(c)) {
                    System.out.println("unknown client " + c + "; known: " + CLIENTS.keySet());
                    return null;
                }
            }
            // Default: the agent built next to this module (benchmarks/target/benchmarks.jar -> agent/target/).
            s.agent = (agent != null ? Paths.get(agent)
                    : s.jar.getParent().resolve("../../agent/target/httpleak-agent.jar")).toAbsolutePath().normalize();
            if (!Files.isRegularFile(s.agent)) {
                System.out.println("no agent jar at " + s.agent + "; build it first (./mvnw -B package -DskipTests) "
                        + "or pass --agent PATH");
                return null;
            }
            return s;
        }

        static String usage() {
            return "usage: java -jar benchmarks.jar [--agent PATH] [--out DIR] [--jvm JAVA] [--clients "
                    + String.join(",", CLIENTS.keySet()) + "] [--threads 1,8]"
                    + " [--forks N (rounds; default 3 at 1 thread, 5 at more)] [--warmups N] [--warmup-seconds S]"
                    + " [--iterations N] [--seconds S] [--startup-runs N]"
                    + " [--fork-timeout S (a fork running longer is killed and run again; default: twice its time + 60)]"
                    + " [--only throughput,calibration,memory,startup] [--quick] [--verbose]\n"
                    + "Plain JMH: java -cp benchmarks.jar org.openjdk.jmh.Main Get";
        }
    }
}
