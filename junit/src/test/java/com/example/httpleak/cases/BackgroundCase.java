package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first test starts a thread that leaks later, while the second test runs: the second must pass (the
 * leak is not its own). The third leaks on its own thread and fails. The common pool is every test's: the
 * last two both fail, though the first of them may have started the pool's threads.
 */
@DetectHttpLeaks
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class BackgroundCase {

    private static final CountDownLatch GO = new CountDownLatch(1);
    private static final CountDownLatch DONE = new CountDownLatch(1);
    public static volatile String backgroundSite;
    public static volatile String ownSite;
    public static volatile String commonPoolSite;

    @Test
    @Order(1)
    void startsAPoller() {
        Thread poller = new Thread(() -> {
            try {
                GO.await();
                Server.connect(100).getInputStream().read(); backgroundSite = Server.here();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                DONE.countDown();
            }
        }, "leaky-poller");
        poller.setDaemon(true);
        poller.start();
    }

    @Test
    @Order(2)
    void runsWhileThePollerLeaks() throws Exception {
        GO.countDown();
        assertTrue(DONE.await(30, TimeUnit.SECONDS));
    }

    @Test
    @Order(3)
    void leaksItself() throws Exception {
        Server.connect(100).getInputStream().read(); ownSite = Server.here();
    }

    @Test
    @Order(4)
    void leaksOnTheCommonPool() throws Exception {
        CompletableFuture.runAsync(BackgroundCase::leakOnCommonPool).get(30, TimeUnit.SECONDS);
    }

    @Test
    @Order(5)
    void leaksOnTheCommonPoolAgain() throws Exception {
        CompletableFuture.runAsync(BackgroundCase::leakOnCommonPool).get(30, TimeUnit.SECONDS);
    }

    private static void leakOnCommonPool() {
        try {
            Server.connect(100).getInputStream().read(); commonPoolSite = Server.here();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
