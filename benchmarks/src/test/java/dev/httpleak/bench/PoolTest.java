package dev.httpleak.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolTest {

    @Test
    void pairsEachForkWithTheNoAgentForkOfItsRound(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("run.csv");
        Files.writeString(csv, "client,threads,mode,round,ops_per_s,cpu_ns_per_op\n"
                + "okhttp,8,none,1,100.0,10.0\n"
                + "okhttp,8,default,1,90.0,11.0\n"
                + "okhttp,8,default,2,120.0,9.0\n"
                + "okhttp,8,none,2,100.0,10.0\n"
                + "okhttp,1,none,1,50.0,20.0\n"
                + "okhttp,8,stacks=all,3,80.0,12.0\n"); // no fork without the agent in round 3: left out

        Map<String, Double> ratios = Pool.ratios(csv);

        assertEquals(Map.of("okhttp,8,default,1", 0.9, "okhttp,8,default,2", 1.2), ratios);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, Pool.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Pool.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void intervalHoldsTheMedianAndIsTheSameEveryTimeInAnyOrder() {
        double[] ratios = {0.91, 0.95, 0.97, 0.99, 1.02, 1.05, 0.93, 1.00};

        double[] interval = Pool.interval(ratios);

        assertTrue(interval[0] <= Pool.median(ratios) && Pool.median(ratios) <= interval[1]);
        assertTrue(interval[0] >= 0.91 && interval[1] <= 1.05);
        assertArrayEquals(interval, Pool.interval(ratios));
        assertArrayEquals(interval, Pool.interval(new double[] {1.05, 0.93, 1.00, 0.91, 0.95, 0.97, 0.99, 1.02}));
    }

    @Test
    void identicalRoundsGiveAPointInterval() {
        double[] interval = Pool.interval(new double[] {0.98, 0.98, 0.98});

        assertArrayEquals(new double[] {0.98, 0.98}, interval);
    }
}
