package dev.httpleak.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Splits the CPU time per request of profiled forks into where it went, so that forks with and without the agent
 * can be compared part by part: the agent's own code, and the rest by thread (the benchmark's threads running the
 * client, the responder, the client's own threads, GC, JIT). Each fork is a directory holding JMH's CSV result
 * (with {@link CpuPerOp}'s {@code cpu.ns/op}) and async-profiler's collapsed stacks taken with {@code threads}
 * (each stack's first frame names its thread; without it, as on JDK 25 where async-profiler 3.0 crashes with it,
 * only the agent's row means anything). Profile with {@code event=itimer}: on a VM the default {@code cpu} event
 * can slow the fork down several times. A part's CPU per request is its share of the samples times the
 * fork's CPU per request. Writes a Markdown table to stdout: a column per fork, and the difference of each from the
 * first.
 *
 * <p>The agent's own code is a sample with a frame of httpleak ({@code dev.httpleak}, not the benchmark) and no
 * frame of the client below the deepest one: the hooks, the registry and the JDK code they call; client code that
 * an httpleak wrapper hands a call on to is the client's work, counted with its thread.
 */
public final class Profiles {

    static final String OWN = "httpleak's own code (any thread)";
    static final String OTHER = "other threads (each under 0.5 %)";
    /** Frames of the clients and of the JDK code they do their I/O with. */
    private static final Pattern CLIENT = Pattern.compile("(jdk/internal/net/http|org/apache|okhttp3|okio|sun/net"
            + "|sun/nio|java/io|java/net/Http|java/net/Socket).*");
    private static final Pattern AGENT = Pattern.compile("dev/httpleak/(?!bench/).*");

    private Profiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.println("usage: java -cp benchmarks.jar " + Profiles.class.getName() + " FORK_DIR...  "
                    + "(each: JMH's CSV with cpu.ns/op and async-profiler's collapsed stacks with threads; "
                    + "differences are to the first)");
            return;
        }
        List<Fork> forks = new ArrayList<>();
        for (String dir : args) {
            forks.add(Fork.read(Paths.get(dir)));
        }
        Set<String> parts = new LinkedHashSet<>();
        parts.add(OWN);
        forks.forEach(f -> parts.addAll(f.samples.keySet()));
        // Threads under 0.5 % of every fork's samples go together.
        for (String part : List.copyOf(parts)) {
            if (!part.equals(OWN) && forks.stream().allMatch(f -> f.samples.getOrDefault(part, 0L) < f.total / 200)) {
                parts.remove(part);
                forks.forEach(f -> f.samples.merge(OTHER, f.samples.getOrDefault(part, 0L), Long::sum));
                parts.add(OTHER);
            }
        }
        StringBuilder head = new StringBuilder("| ns of CPU per request |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (int i = 0; i < forks.size(); i++) {
            head.append(' ').append(forks.get(i).name).append(" |");
            rule.append(" ---: |");
        }
        for (int i = 1; i < forks.size(); i++) {
            head.append(' ').append(forks.get(i).name).append(" − ").append(forks.get(0).name).append(" |");
            rule.append(" ---: |");
        }
        System.out.println(head);
        System.out.println(rule);
        row("ops/s", forks, f -> f.opsPerSecond, "%,.0f");
        row("samples", forks, f -> f.total, "%,.0f");
        row("all", forks, f -> f.cpuNanosPerOp, "%,.0f");
        for (String part : parts) {
            row(part, forks, f -> f.nanosPerOp(part), "%,.0f");
        }
    }

    private static void row(String name, List<Fork> forks, ToDoubleFunction<Fork> value, String format) {
        StringBuilder b = new StringBuilder("| ").append(name).append(" |");
        for (Fork f : forks) {
            b.append(' ').append(String.format(Locale.ROOT, format, value.applyAsDouble(f))).append(" |");
        }
        for (int i = 1; i < forks.size(); i++) {
            double d = value.applyAsDouble(forks.get(i)) - value.applyAsDouble(forks.get(0));
            b.append(' ').append(String.format(Locale.ROOT, "%+,.0f", d)).append(" |");
        }
        System.out.println(b);
    }

    /** One profiled fork. */
    static final class Fork {
        final String name;
        final double opsPerSecond;
        final double cpuNanosPerOp;
        /** Samples by part: {@link #OWN}, else the sample's thread group. */
        final Map<String, Long> samples = new TreeMap<>();
        long total;

        private Fork(String name, double opsPerSecond, double cpuNanosPerOp) {
            this.name = name;
            this.opsPerSecond = opsPerSecond;
            this.cpuNanosPerOp = cpuNanosPerOp;
        }

        double nanosPerOp(String part) {
            return total == 0 ? 0 : cpuNanosPerOp * samples.getOrDefault(part, 0L) / total;
        }

        static Fork read(Path dir) throws IOException {
            double ops = Double.NaN;
            double cpu = Double.NaN;
            for (String line : Files.readAllLines(dir.resolve("result.csv"), StandardCharsets.UTF_8)) {
                String[] f = line.split(",");
                if (f.length > 4 && !f[0].contains("Benchmark")) {
                    double score = Double.parseDouble(f[4]);
                    if (f[0].contains(":" + CpuPerOp.NAME)) {
                        cpu = score;
                    } else if (!f[0].contains(":")) {
                        ops = score;
                    }
                }
            }
            Fork fork = new Fork(dir.getFileName().toString(), ops, cpu);
            Path collapsed;
            try (Stream<Path> files = Files.walk(dir)) {
                collapsed = files.filter(p -> p.getFileName().toString().startsWith("collapsed-")).findFirst()
                        .orElseThrow(() -> new IOException("no collapsed stacks under " + dir));
            }
            try (Stream<String> lines = Files.lines(collapsed, StandardCharsets.UTF_8)) {
                lines.forEach(fork::add);
            }
            return fork;
        }

        /** One line of collapsed stacks: frames from the thread down, separated by ';', then the count. */
        void add(String line) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                return;
            }
            long n = Long.parseLong(line.substring(space + 1).trim());
            String[] frames = line.substring(0, space).split(";");
            samples.merge(own(frames) ? OWN : threadGroup(frames), n, Long::sum);
            total += n;
        }
    }

    /** Whether the deepest httpleak frame has no client frame below it. */
    static boolean own(String[] frames) {
        for (int i = frames.length - 1; i > 0; i--) {
            if (AGENT.matcher(frames[i]).matches()) {
                return true;
            }
            if (CLIENT.matcher(frames[i]).matches()) {
                return false;
            }
        }
        return false;
    }

    /**
     * The thread's group, from the stack's first frame ({@code [responder-37414 tid=26877]}): its name without
     * numbers, the JIT's and the GC's threads each as one. A thread whose name the profiler missed is named by its
     * code where that is the responder's.
     */
    static String threadGroup(String[] frames) {
        String name = frames[0].replaceAll("^\\[|]$", "").replaceAll("(^| )tid=\\d+$", "");
        name = name.replaceAll("^dev\\.httpleak\\.bench\\.\\w+\\.\\w+-", "").replaceAll("[-#]?\\d+", "");
        if (name.startsWith("jmh-worker")) {
            return "benchmark threads (the client's calls)";
        }
        if (name.isEmpty()) {
            return String.join(";", frames).contains("dev/httpleak/bench/Responder") ? "responder" : "(unnamed)";
        }
        if (name.matches("C CompilerThre.*")) {
            return "JIT compilers";
        }
        return name.matches("GC Thread|G Conc|G Refine|G Main Marker|G Service") ? "GC" : name;
    }
}
