package dev.httpleak.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Pools the rounds of several runs: for each client, threads and agent variant, the ratio agent/none of every
 * round of every run given, their median and a 95 % bootstrap interval of that median. One run of five rounds
 * lands a client on either side of the budget on a noisy machine; more rounds from more runs narrow the interval.
 *
 * <p>Input: the raw CSV files that {@link Overhead} writes ({@code throughput-*.csv}: client, threads, mode,
 * round, ops/s, ...), one file per run, all of one JDK. A round pairs each variant's fork with the no-agent fork
 * of the same run and round. Writes a Markdown table to stdout.
 */
public final class Pool {

    /** Resamples of the bootstrap; a fixed seed, so the same files give the same table. */
    static final int RESAMPLES = 10_000;

    private Pool() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.println("usage: java -cp benchmarks.jar " + Pool.class.getName() + " RUN.csv...  "
                    + "(throughput CSVs of benchmarks.jar, one per run, all of one JDK)");
            return;
        }
        // (client, threads, mode) -> ratios of every round of every run
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        for (String file : args) {
            for (Map.Entry<String, Double> r : ratios(Paths.get(file)).entrySet()) {
                String key = r.getKey().substring(0, r.getKey().lastIndexOf(','));
                ratios.computeIfAbsent(key, k -> new ArrayList<>()).add(r.getValue());
            }
        }
        System.out.println("| client | threads | variant | rounds | median of the rounds' ratios to no agent "
                + "| 95 % interval of the median | rounds under 0.97 | mean |");
        System.out.println("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, List<Double>> e : ratios.entrySet()) {
            double[] r = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
            double[] interval = interval(r);
            String[] k = e.getKey().split(",");
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %.3f | %.3f–%.3f | %d | %.3f |%n", k[0], k[1], k[2],
                    r.length, median(r), interval[0], interval[1], Arrays.stream(r).filter(x -> x < 0.97).count(),
                    Arrays.stream(r).average().orElse(Double.NaN));
        }
    }

    /** Ratio to the no-agent fork of the same round, by "client,threads,mode,round", for one run's CSV. */
    static Map<String, Double> ratios(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String[]> forks = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f.length >= 5) {
                forks.add(f);
            }
        }
        Map<String, Double> none = new LinkedHashMap<>(); // by "client,threads,round"
        for (String[] f : forks) {
            if (f[2].equals("none")) {
                none.put(f[0] + "," + f[1] + "," + f[3], Double.parseDouble(f[4]));
            }
        }
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (String[] f : forks) {
            Double base = none.get(f[0] + "," + f[1] + "," + f[3]);
            if (!f[2].equals("none") && base != null) {
                ratios.put(f[0] + "," + f[1] + "," + f[2] + "," + f[3], Double.parseDouble(f[4]) / base);
            }
        }
        return ratios;
    }

    /**
     * The 2.5th and 97.5th percentiles of the medians of {@link #RESAMPLES} resamples with replacement; the same for
     * the same values in any order (the files may come in any order).
     */
    static double[] interval(double[] ratios) {
        double[] values = ratios.clone();
        Arrays.sort(values);
        Random random = new Random(1);
        double[] medians = new double[RESAMPLES];
        double[] sample = new double[values.length];
        for (int i = 0; i < RESAMPLES; i++) {
            for (int j = 0; j < sample.length; j++) {
                sample[j] = values[random.nextInt(values.length)];
            }
            medians[i] = median(sample);
        }
        Arrays.sort(medians);
        return new double[] {medians[RESAMPLES * 25 / 1000], medians[RESAMPLES * 975 / 1000 - 1]};
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
