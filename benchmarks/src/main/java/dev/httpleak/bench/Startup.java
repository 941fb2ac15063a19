package dev.httpleak.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time the agent adds to JVM start-up: starts {@link Hello} many times without the agent, with its default
 * options and with {@code stacks=all}, in turns, and takes the median time from starting the process to the
 * first line {@code main} prints, to the line after its first HTTP request (where the agent sets up the client it
 * uses), and to the process's exit (which includes the agent's end-of-run settle). The first round of each is a
 * discarded warm-up (file cache). Prints Markdown on stdout.
 *
 * <p>Arguments: {@code JAVA BENCHMARKS_JAR AGENT_JAR RUNS}.
 */
public final class Startup {

    private Startup() {
    }

    public static void main(String[] args) throws Exception {
        String java = args[0];
        String jar = args[1];
        String agent = args[2];
        int runs = Integer.parseInt(args[3]);
        String[][] modes = {{"none", null}, {"default", "-javaagent:" + agent}, {"stacks=all", "-javaagent:" + agent
                + "=stacks=all"}};
        long[][] toMain = new long[modes.length][runs];
        long[][] toRequest = new long[modes.length][runs];
        long[][] toExit = new long[modes.length][runs];
        for (int round = -1; round < runs; round++) {
            for (int m = 0; m < modes.length; m++) {
                List<String> cmd = new ArrayList<>(Arrays.asList(java, "-Xshare:auto"));
                if (modes[m][1] != null) {
                    cmd.add(modes[m][1]);
                }
                cmd.addAll(Arrays.asList("-cp", jar, Hello.class.getName()));
                long[] t = time(cmd);
                if (round >= 0) {
                    toMain[m][round] = t[0];
                    toRequest[m][round] = t[1];
                    toExit[m][round] = t[2];
                }
            }
            System.err.print(round < 0 ? "startup: warmed up; " : (round + 1) + (round + 1 == runs ? "\n" : " "));
        }
        double noneMain = median(toMain[0]);
        double noneRequest = median(toRequest[0]);
        double noneExit = median(toExit[0]);
        StringBuilder md = new StringBuilder("### Start-up\n\n");
        md.append(String.format(Locale.ROOT, "Median of %d runs of a small `main`, in turns; time from process "
                + "start to the first line `main` prints, to the end of its first HTTP request (`HttpURLConnection` to "
                + "a local server: the agent instruments a client when its first class loads), and to the process's "
                + "exit.%n%n", runs));
        md.append("| agent | to main (ms) | added to main (ms) | to first response (ms) | added to first response (ms) "
                + "| to exit (ms) | added to exit (ms) |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int m = 0; m < modes.length; m++) {
            double main = median(toMain[m]);
            double request = median(toRequest[m]);
            double exit = median(toExit[m]);
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %.0f | %s | %.0f | %s |%n", modes[m][0], main,
                    added(m, main, noneMain), request, added(m, request, noneRequest), exit,
                    added(m, exit, noneExit)));
        }
        System.out.print(md);
    }

    private static String added(int mode, double value, double none) {
        return mode == 0 ? "" : String.format(Locale.ROOT, "%.0f", value - none);
    }

    /** Milliseconds to the first and second lines of output and to the exit. */
    private static long[] time(List<String> cmd) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long[] lines = {-1, -1};
        int seen = 0;
        try (InputStream in = p.getInputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n' && seen < lines.length) {
                    lines[seen++] = System.nanoTime();
                }
            }
        }
        int code = p.waitFor();
        long end = System.nanoTime();
        if (code != 0 || seen < lines.length) {
            throw new IOException("exit " + code + " from " + cmd);
        }
        return new long[] {(lines[0] - start) / 1_000_000, (lines[1] - start) / 1_000_000, (end - start) / 1_000_000};
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
