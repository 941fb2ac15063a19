package com.example.httpleak;

import dev.httpleak.junit.HttpLeaks;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HttpLeaks}, the framework-neutral API, and its baseline. */
class HttpLeaksTest {

    @Test
    void bodiesOpenedBeforeTheBaselineAreIgnored() throws Exception {
        HttpLeaks.install();
        try (InputStream openBefore = Server.connect(100).getInputStream()) {
            leakOne();
            HttpLeaks.Baseline baseline = HttpLeaks.baseline();
            baseline.assertNoLeaks();
            HttpLeaks.assertNoLeaks();

            String site = leakOne();
            AssertionError e = assertThrows(AssertionError.class, baseline::assertNoLeaks);
            assertTrue(e.getMessage().startsWith("1 HTTP response body opened since the baseline was not closed "
                    + "(1 leaked, 0 still open)."), e.getMessage());
            assertTrue(e.getMessage().contains("\n\n1 leaked at " + site + "\n    client: urlconnection\n"),
                    e.getMessage());
            assertEquals(site, e.getStackTrace()[0].toString());
            assertThrows(AssertionError.class, HttpLeaks::assertNoLeaks);

            HttpLeaks.baseline();
            HttpLeaks.assertNoLeaks();
            openBefore.read();
        }
    }

    @Test
    void openBodiesFailUnlessAllowed() throws Exception {
        HttpLeaks.Baseline baseline = HttpLeaks.baseline();
        InputStream in = Server.connect(100).getInputStream(); String site = Server.here();
        try {
            baseline.assertNoLeaks(false);
            AssertionError e = assertThrows(AssertionError.class, baseline::assertNoLeaks);
            assertTrue(e.getMessage().contains("(0 leaked, 1 still open)"), e.getMessage());
            assertTrue(e.getMessage().contains("\n\n1 still open at " + site + "\n"), e.getMessage());
        } finally {
            in.close();
        }
        baseline.assertNoLeaks();
    }

    private static String leakOne() throws Exception {
        Server.connect(100).getInputStream().read(); return Server.here();
    }
}
