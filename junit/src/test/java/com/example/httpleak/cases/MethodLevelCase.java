package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The annotation on one method: that test is checked, the other is not. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class MethodLevelCase {

    @Test
    @Order(1)
    void notChecked() throws Exception {
        Server.connect(100).getInputStream().read();
    }

    @Test
    @Order(2)
    @DetectHttpLeaks
    void checked() throws Exception {
        Server.connect(100).getInputStream().read();
    }
}
