package com.example.httpleak;

import com.example.httpleak.cases.BackgroundCase;
import com.example.httpleak.cases.CleanCase;
import com.example.httpleak.cases.LeakWhenOpenAllowedCase;
import com.example.httpleak.cases.LeakyCase;
import com.example.httpleak.cases.MethodLevelCase;
import com.example.httpleak.cases.NestedCase;
import com.example.httpleak.cases.OpenCase;
import com.example.httpleak.cases.ParallelCase;
import dev.httpleak.core.Core;
import dev.httpleak.core.Site;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link dev.httpleak.junit.DetectHttpLeaks} on real case classes run through the Jupiter engine. */
class DetectHttpLeaksTest {

    @AfterAll
    static void closeKeptBodies() throws Exception {
        for (InputStream in : OpenCase.KEPT) {
            in.close();
        }
        for (InputStream in : NestedCase.KEPT) {
            in.close();
        }
    }

    @Test
    void aLeakyTestFailsNamingItsSiteClientRequestAndStack() {
        Cases cases = Cases.run(LeakyCase.class);
        Throwable t = cases.failure("forgetsToClose()");
        String site = LeakyCase.site;
        assertNotNull(site);
        String m = t.getMessage();
        assertTrue(m.startsWith("1 HTTP response body opened during this test was not closed "
                + "(1 leaked, 0 still open)."), m);
        assertTrue(m.contains("\n\n1 leaked at " + site + "\n    client: urlconnection\n"
                + "    request: GET http://127.0.0.1:"), m);
        assertTrue(m.contains("(status 200)"), m);
        assertTrue(m.contains("\n    thread: " + Thread.currentThread().getName() + "\n"), m);
        assertTrue(m.contains("\n    opened at:\n        at "), m);
        assertTrue(m.contains("\n        at " + site + "\n"), m);
        // The failure's own trace starts at the line that forgot close().
        assertEquals(site, t.getStackTrace()[0].toString());
        assertEquals(1, leakedAt(site), "counted once");
    }

    @Test
    void cleanTestsPass() {
        Cases cases = Cases.run(CleanCase.class);
        cases.passed("closes()");
        cases.passed("readsToTheEnd()");
        cases.passed("closesWithHttpClient()");
    }

    @Test
    void anOpenBodyFailsUnlessAllowed() {
        Cases cases = Cases.run(OpenCase.class);
        cases.passed("keepsOneOpenOnPurpose()");
        String m = cases.failure("keepsOneOpenByMistake()").getMessage();
        assertTrue(m.startsWith("1 HTTP response body opened during this test was not closed "
                + "(0 leaked, 1 still open)."), m);
        assertTrue(m.contains("1 still open at " + OpenCase.site + "\n    client: urlconnection"), m);
        assertEquals(2, OpenCase.KEPT.size());
    }

    @Test
    void aLeakFailsEvenWhenOpenBodiesAreAllowed() {
        Cases cases = Cases.run(LeakWhenOpenAllowedCase.class);
        String m = cases.failure("dropsBody()").getMessage();
        assertTrue(m.startsWith("1 HTTP response body opened during this test was not closed (1 leaked)."), m);
        assertTrue(m.contains("1 leaked at " + LeakWhenOpenAllowedCase.site + "\n    client: jdk-httpclient"), m);
    }

    @Test
    void onAMethodItChecksThatTestOnly() {
        Cases cases = Cases.run(MethodLevelCase.class);
        cases.passed("notChecked()");
        assertTrue(cases.failure("checked()").getMessage().contains("1 leaked at "));
    }

    @Test
    void nestedTestsAreCheckedAndTheInnermostAnnotationDecides() {
        Cases cases = Cases.run(NestedCase.class);
        cases.passed("keepsOpen()");
        assertTrue(cases.failure("keepsOpenWhereItIsNotAllowed()").getMessage().contains("(0 leaked, 1 still open)"));
        assertTrue(cases.failure("leaks()").getMessage().contains("(1 leaked)"));
    }

    @Test
    void inParallelOnlyTheTestThatLeakedFails() {
        Cases cases = Cases.runInParallel(ParallelCase.class);
        cases.passed("closes()");
        assertTrue(cases.failure("leaks()").getMessage().contains("(1 leaked, 0 still open)"));
    }

    @Test
    void aBackgroundThreadOfAnEarlierTestIsNotPinnedOnALaterOne() {
        Cases cases = Cases.run(BackgroundCase.class);
        cases.passed("startsAPoller()");
        cases.passed("runsWhileThePollerLeaks()");
        String m = cases.failure("leaksItself()").getMessage();
        assertTrue(m.contains("1 leaked at " + BackgroundCase.ownSite), m);
        assertNotNull(BackgroundCase.backgroundSite);
        assertFalse(m.contains(BackgroundCase.backgroundSite), m);
        assertTrue(cases.failure("leaksOnTheCommonPool()").getMessage().contains("1 leaked at "
                + BackgroundCase.commonPoolSite), m);
        assertTrue(cases.failure("leaksOnTheCommonPoolAgain()").getMessage().contains("1 leaked at "
                + BackgroundCase.commonPoolSite), m);
    }

    private static long leakedAt(String site) {
        return Core.current().registry().leakSites().stream().filter(s -> s.frame().equals(site))
                .mapToLong(Site::leaked).sum();
    }
}
