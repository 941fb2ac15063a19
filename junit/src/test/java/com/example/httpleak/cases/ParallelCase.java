package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.InputStream;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/** Two tests at the same time, each between the same two barriers: only the one that leaked fails. */
@DetectHttpLeaks
@Execution(ExecutionMode.CONCURRENT)
public class ParallelCase {

    private static final CyclicBarrier BOTH = new CyclicBarrier(2);

    @Test
    void leaks() throws Exception {
        BOTH.await(30, TimeUnit.SECONDS);
        Server.connect(100).getInputStream().read();
        BOTH.await(30, TimeUnit.SECONDS);
    }

    @Test
    void closes() throws Exception {
        BOTH.await(30, TimeUnit.SECONDS);
        try (InputStream in = Server.connect(100).getInputStream()) {
            in.read();
        }
        BOTH.await(30, TimeUnit.SECONDS);
    }
}
