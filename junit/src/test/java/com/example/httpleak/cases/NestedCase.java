package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The annotation of an enclosing class reaches @Nested tests; the innermost annotation decides failOnOpen. */
@DetectHttpLeaks(failOnOpen = false)
public class NestedCase {

    public static final List<InputStream> KEPT = new CopyOnWriteArrayList<>();

    @Nested
    class Inner {

        @Test
        void keepsOpen() throws Exception {
            KEPT.add(Server.connect(100).getInputStream());
        }

        @Test
        @DetectHttpLeaks
        void keepsOpenWhereItIsNotAllowed() throws Exception {
            KEPT.add(Server.connect(100).getInputStream());
        }

        @Test
        void leaks() throws Exception {
            Server.connect(100).getInputStream().read();
        }
    }
}
