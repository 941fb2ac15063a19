package dev.httpleak.core;

import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The advice finds its wrapper by the literal it passes; any equal string still finds it. */
class CoreTest {

    private final Core core = new Core(new Registry(new SiteRules(Collections.emptyList()),
            Registry.StackMode.SAMPLED, true, 60_000), "test");

    CoreTest() {
        core.addWrapper("client.body", (value, owner) -> "body:" + value);
        core.addWrapper("client.call", (value, owner) -> "call:" + value);
    }

    @Test
    void theLiteralFindsItsWrapper() {
        assertEquals("call:x", core.wrap("client.call", "x", null));
        assertEquals("body:x", core.wrap("client.body", "x", null));
    }

    @Test
    void anEqualStringThatIsNotTheLiteralFindsItToo() {
        String point = new String("client.call".toCharArray());
        assertEquals("call:x", core.wrap(point, "x", null));
    }

    @Test
    void anUnknownPointHandsTheValueBack() {
        Object value = new Object();
        assertSame(value, core.wrap("client.other", value, null));
    }

    @Test
    void aPointAddedAgainReplacesItsWrapper() {
        core.addWrapper("client.call", (value, owner) -> "again:" + value);
        assertEquals("again:x", core.wrap("client.call", "x", null));
        assertEquals("body:x", core.wrap("client.body", "x", null));
    }
}
