package dev.httpleak.agent;

import dev.httpleak.core.Client;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionsTest {

    private static Options parse(String argument, String... properties) {
        Properties p = new Properties();
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        return Options.parse(argument, p);
    }

    @Test
    void defaults() {
        Options o = parse(null);
        assertNull(o.report());
        assertEquals(Options.Log.AUTO, o.log());
        assertEquals(Options.Stacks.SAMPLED, o.stacks());
        assertEquals(Duration.ofSeconds(60), o.suspectAfter());
        assertEquals(Options.Urls.REDACTED, o.urls());
        assertTrue(o.jmx());
        assertTrue(o.jfr());
        assertNull(o.interval());
        for (Client c : Client.values()) {
            assertTrue(o.enabled(c));
        }
        assertTrue(o.problems().isEmpty());
    }

    @Test
    void everyKeyFromTheAgentArgument() {
        Options o = parse("report=/tmp/r.json,log=stderr,stacks=all,suspectAfter=500ms,skip=com.acme.http;org.x.,"
                + "disable=okhttp;urlconnection,urls=full,jmx=false,jfr=false,interval=5m,help");
        assertEquals("/tmp/r.json", o.report());
        assertEquals(Options.Log.STDERR, o.log());
        assertEquals(Options.Stacks.ALL, o.stacks());
        assertEquals(Duration.ofMillis(500), o.suspectAfter());
        assertEquals(java.util.Arrays.asList("com.acme.http", "org.x."), o.skip());
        assertFalse(o.enabled(Client.OKHTTP));
        assertFalse(o.enabled(Client.URLCONNECTION));
        assertTrue(o.enabled(Client.JDK_HTTPCLIENT));
        assertEquals(Options.Urls.FULL, o.urls());
        assertFalse(o.jmx());
        assertFalse(o.jfr());
        assertEquals(Duration.ofMinutes(5), o.interval());
        assertTrue(o.helpRequested());
        assertTrue(o.problems().isEmpty(), o.problems()::toString);
    }

    @Test
    void systemPropertiesApplyAndTheAgentArgumentWins() {
        Options o = parse("log=off", "httpleak.log", "stderr", "httpleak.suspectAfter", "30s", "other.key", "x");
        assertEquals(Options.Log.OFF, o.log());
        assertEquals(Duration.ofSeconds(30), o.suspectAfter());
        assertTrue(o.problems().isEmpty());
    }

    @Test
    void anUnknownKeyIsOneLineNamingItAndTheAcceptedKeys() {
        Options o = parse("reprot=x.json,log=stderr");
        assertEquals(1, o.problems().size());
        String line = o.problems().get(0);
        assertTrue(line.contains("'reprot'") && line.contains("report, log, stacks"), line);
        assertEquals(Options.Log.STDERR, o.log());
    }

    @Test
    void aBadValueNamesTheKeyAndTheAcceptedValuesAndKeepsTheDefault() {
        Options o = parse("stacks=some,suspectAfter=10,disable=curl,jmx=yes", "httpleak.urls", "partly");
        assertEquals(5, o.problems().size(), o.problems()::toString);
        assertTrue(o.problems().get(0).contains("'urls'") && o.problems().get(0).contains("redacted|full"));
        assertTrue(o.problems().get(1).contains("'stacks'") && o.problems().get(1).contains("all|sampled|off"));
        assertTrue(o.problems().get(2).contains("'suspectAfter'") && o.problems().get(2).contains("500ms"));
        assertTrue(o.problems().get(3).contains("'disable'") && o.problems().get(3).contains("jdk-httpclient"));
        assertTrue(o.problems().get(4).contains("'jmx'") && o.problems().get(4).contains("true|false"));
        assertEquals(Options.Stacks.SAMPLED, o.stacks());
        assertEquals(Duration.ofSeconds(60), o.suspectAfter());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), Options.duration("500ms"));
        assertEquals(Duration.ofSeconds(30), Options.duration("30s"));
        assertEquals(Duration.ofMinutes(5), Options.duration("5m"));
        for (String bad : new String[] {"5", "0s", "-1s", "1h", "s", "1.5s"}) {
            assertThrows(IllegalArgumentException.class, () -> Options.duration(bad), bad);
        }
    }

    @Test
    void helpListsEveryKey() {
        String help = Options.helpText();
        for (String key : new String[] {"report", "log", "stacks", "suspectAfter", "skip", "disable", "urls", "jmx",
                "jfr", "interval", "help"}) {
            assertTrue(help.contains("  " + key + " "), key);
        }
    }
}
