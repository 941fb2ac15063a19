package dev.httpleak.it.apache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Forked;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks of the exhaustion scenario both lines share: two leaked bodies fill a pool of two, and the third
 * request times out waiting for a connection after 1 s.
 */
final class ApacheExhaustion {

    private static final Pattern THIRD = Pattern.compile("third request at (\\d+)");

    private ApacheExhaustion() {
    }

    static void assertNamesHolders(Forked.Result result, JsonNode report, String client, String site,
            String timeoutException, String label) {
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode e : report.get("exhaustions")) {
            if (e.get("client").asText().equals(client)) {
                entries.add(e);
            }
        }
        // One wait of about a second: one entry (two at most, if the wait was re-queued a second later).
        assertTrue(entries.size() == 1 || entries.size() == 2, () -> "exhaustions: " + report.toPrettyString());
        JsonNode e = entries.get(0);
        assertTrue(e.get("route").asText().startsWith("http://127.0.0.1:"), e::toString);
        assertEquals(2, e.get("leased").asInt(), e::toString);
        assertEquals(2, e.get("max").asInt(), e::toString);
        assertTrue(e.get("pending").asInt() >= 1, e::toString);
        JsonNode holders = e.get("holders");
        assertEquals(1, holders.size(), e::toString);
        assertEquals(site, holders.get(0).get("site").asText(), e::toString);
        assertEquals(2, holders.get(0).get("count").asInt(), e::toString);
        assertTrue(holders.get(0).get("oldestMillis").asLong() >= 0, e::toString);

        // The WARN naming the holders comes before the client's pool-timeout exception.
        String err = result.stderr;
        int warn = err.indexOf("connection pool exhausted (" + client + ")");
        int failed = err.indexOf("third request failed");
        assertTrue(warn >= 0 && failed > warn, () -> "stderr order:\n" + err);
        assertTrue(err.substring(warn, failed).contains(site), () -> "WARN without the holder's site:\n" + err);
        assertTrue(err.substring(failed).contains(timeoutException), () -> "no pool timeout:\n" + err);

        Matcher third = THIRD.matcher(err);
        assertTrue(third.find(), err);
        long waitMillis = Instant.parse(e.get("at").asText()).toEpochMilli() - Long.parseLong(third.group(1));
        // Reported, not asserted: how soon after the request started waiting the entry was written.
        System.out.println("[apache exhaustion] " + label + ": entry written " + waitMillis
                + " ms after the third request started; holders " + holders);
    }
}
