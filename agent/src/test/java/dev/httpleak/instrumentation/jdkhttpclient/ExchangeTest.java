package dev.httpleak.instrumentation.jdkhttpclient;

import dev.httpleak.core.Client;
import dev.httpleak.core.Registry;
import dev.httpleak.core.SiteRules;
import dev.httpleak.core.Tally;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One response's exchange: the client's end and the user's hold, in either order, count the body once; a body the
 * client finished with before the user got it is only counted.
 */
class ExchangeTest {

    private final Registry registry = new Registry(new SiteRules(Collections.emptyList()), Registry.StackMode.OFF,
            true, 60_000);

    private Exchange exchange() {
        return new Exchange(registry, registry.origin(Client.JDK_HTTPCLIENT), "GET", URI.create("http://localhost/"),
                200);
    }

    private String counts() {
        Tally t = registry.tally(Client.JDK_HTTPCLIENT);
        return "opened=" + t.opened + " closed=" + t.closed + " discarded=" + t.discarded + " open=" + t.open;
    }

    @Test
    void aBodyTheClientFinishedBeforeTheUserGotItIsOnlyCounted() {
        Exchange e = exchange();
        e.finish(false);

        assertTrue(e.passedIfDone());
        assertEquals("opened=1 closed=1 discarded=0 open=0", counts());
        assertEquals(0, registry.openBodies().size());
    }

    @Test
    void aBodyCancelledBeforeTheUserGotItIsDiscarded() {
        Exchange e = exchange();
        e.finish(true);

        assertTrue(e.passedIfDone());
        assertEquals("opened=1 closed=1 discarded=1 open=0", counts());
    }

    @Test
    void aBodyTheClientFinishesWhileItIsHandedOverEndsAsItOpens() {
        Exchange e = exchange();
        assertFalse(e.passedIfDone());
        e.finish(true);
        e.track(new Object());

        assertEquals("opened=1 closed=1 discarded=1 open=0", counts());
        assertEquals(0, registry.openBodies().size());
    }

    @Test
    void aBodyTheUserHoldsBeforeTheClientFinishedIsOpenUntilThen() {
        Exchange e = exchange();
        Object body = new Object();
        assertFalse(e.passedIfDone());
        e.track(body);

        assertEquals("opened=1 closed=0 discarded=0 open=1", counts());
        assertEquals(1, registry.openBodies().size());

        e.finish(false);
        e.finish(false);

        assertEquals("opened=1 closed=1 discarded=0 open=0", counts());
        assertEquals(0, registry.openBodies().size());
    }
}
