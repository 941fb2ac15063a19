package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Bodies handed to something that outlives the test: fine with failOnOpen = false, else a failure. */
@DetectHttpLeaks
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class OpenCase {

    /** Keeps the bodies reachable; the outer test closes them. */
    public static final List<InputStream> KEPT = new CopyOnWriteArrayList<>();
    public static volatile String site;

    @Test
    @Order(1)
    @DetectHttpLeaks(failOnOpen = false)
    void keepsOneOpenOnPurpose() throws Exception {
        KEPT.add(Server.connect(100).getInputStream());
    }

    @Test
    @Order(2)
    void keepsOneOpenByMistake() throws Exception {
        InputStream in = Server.connect(100).getInputStream(); site = Server.here();
        KEPT.add(in);
    }
}
