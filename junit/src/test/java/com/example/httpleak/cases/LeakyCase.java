package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

/** One test that drops an unread body. */
@DetectHttpLeaks
public class LeakyCase {

    public static volatile String site;

    @Test
    void forgetsToClose() throws Exception {
        InputStream in = Server.connect(100).getInputStream(); site = Server.here();
        in.read();
    }
}
