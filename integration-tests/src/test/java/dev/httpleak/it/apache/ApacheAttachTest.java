package dev.httpleak.it.apache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Attached;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Reports;
import dev.httpleak.it.support.Sites;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.httpleak.it.support.Reports.assertCounts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agent attached to a running JVM whose Apache client and pool were built (and one connection leased)
 * before: the pool is found at its next lease, with every leased connection, and only bodies opened after the
 * attach are counted. Newest 4.5 and 5.x, JDK 17 and 25.
 */
class ApacheAttachTest {

    static Stream<Arguments> jdksAndLines() throws Exception {
        List<Arguments> list = new ArrayList<>();
        for (Jdks.Jdk jdk : Jdks.all()) {
            for (String line : new String[] {"apache4", "apache5"}) {
                List<String> folders = ApacheVersions.folders(line);
                list.add(Arguments.of(jdk, folders.get(folders.size() - 1)));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndLines")
    void poolsBuiltBeforeTheAttachAreFound(Jdks.Jdk jdk, String version) throws Exception {
        boolean four = version.startsWith("apache4");
        String client = four ? "apache-httpclient4" : "apache-httpclient5";
        JsonNode r = Attached.run(jdk, ApacheAttachApp.class, ApacheVersions.jars(version), four ? "4" : "5");
        // Counted: the two responses held after the attach (open) and one correct call; not the one before.
        assertCounts(r, client, 3, 1, 0, 2, 0);
        String site = ApacheAttachApp.class.getName() + (four ? "$Four" : "$Five") + ".hold(ApacheAttachApp.java:"
                + line(four ? "hold4" : "hold5") + ")";
        for (JsonNode body : r.get("openBodies")) {
            assertEquals(site, body.get("site").asText(), body::toString);
        }
        // The pool built before the attach is listed, with all three leased connections.
        List<JsonNode> pools = Reports.pools(r, client);
        assertEquals(1, pools.size(), () -> r.get("pools").toPrettyString());
        assertEquals(3, pools.get(0).get("leased").asInt(), pools.get(0)::toString);
        assertEquals(50, pools.get(0).get("max").asInt(), pools.get(0)::toString);
    }

    /** The line number of the {@code // site:MARKER} line (as {@link Sites} finds it, for a nested class). */
    private static String line(String marker) {
        String frame = Sites.of(ApacheAttachApp.class, "x", marker);
        return frame.substring(frame.lastIndexOf(':') + 1, frame.length() - 1);
    }
}
