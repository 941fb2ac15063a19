package dev.httpleak.it.okhttp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Attached;
import dev.httpleak.it.support.Jdks;
import dev.httpleak.it.support.Reports;
import dev.httpleak.it.support.Sites;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.httpleak.it.support.Reports.assertCounts;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The agent attached to a running JVM whose OkHttp classes are loaded and whose client holds a response: the
 * retransformed classes (the body advice compiled against OkHttp's API included) track the bodies opened after the
 * attach, blamed on their line, and the pool shows every connection in use. Oldest and newest OkHttp, JDK 17 and 25.
 */
class OkHttpAttachTest {

    static Stream<Arguments> jdksAndVersions() throws Exception {
        List<Path> versions = OkHttpTest.versions();
        return OkHttpTest.jdksAnd(List.of(versions.get(0), versions.get(versions.size() - 1)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("jdksAndVersions")
    void bodiesOpenedAfterTheAttachAreTracked(Jdks.Jdk jdk, String version) throws Exception {
        JsonNode r = Attached.run(jdk, OkHttpAttachApp.class, OkHttpTest.jars(version));
        // Counted: the two responses held after the attach (open) and one correct call; not the one before.
        assertCounts(r, "okhttp", 3, 1, 0, 2, 0);
        String site = Sites.of(OkHttpAttachApp.class, "hold", "hold");
        assertEquals(2, r.get("openBodies").size(), () -> r.get("openBodies").toPrettyString());
        for (JsonNode body : r.get("openBodies")) {
            assertEquals(site, body.get("site").asText(), body::toString);
        }
        // The pool was found when the attach's first new connection went into it: all three held connections.
        List<JsonNode> rows = Reports.pools(r, "okhttp");
        assertEquals(1, rows.size(), () -> r.get("pools").toPrettyString());
        assertEquals(3, rows.get(0).get("leased").asInt(), rows.get(0)::toString);
    }
}
