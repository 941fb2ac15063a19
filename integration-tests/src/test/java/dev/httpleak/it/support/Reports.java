package dev.httpleak.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions on the JSON report. */
public final class Reports {

    private Reports() {
    }

    /** The client's exact counts (its entry must exist) and the same totals. */
    public static void assertCounts(JsonNode report, String client, long opened, long closed, long leaked, long open,
            long discarded) {
        assertEquals("httpleak-report/1", report.get("schema").asText());
        JsonNode c = report.get("clients").get(client);
        String expected = String.format("opened=%d closed=%d leaked=%d open=%d discarded=%d", opened, closed, leaked,
                open, discarded);
        assertEquals(expected, counts(c), () -> "counts of " + client + " in " + report.toPrettyString());
        assertEquals(expected, counts(report.get("totals")), () -> "totals in " + report.toPrettyString());
    }

    /** Exactly one leak site, of this client, at this frame, with this many leaks and a stack through it. */
    public static void assertOnlyLeakSite(JsonNode report, String client, String site, long leaked) {
        JsonNode sites = report.get("leakSites");
        assertEquals(1, sites.size(), () -> "leak sites: " + sites.toPrettyString());
        JsonNode s = sites.get(0);
        assertEquals(client, s.get("client").asText());
        assertEquals(site, s.get("site").asText());
        assertEquals(leaked, s.get("leaked").asLong());
        boolean inStack = false;
        for (JsonNode frame : s.get("stack")) {
            inStack |= frame.asText().equals(site);
        }
        assertEquals(true, inStack, () -> "site not in the stack: " + s.toPrettyString());
    }

    private static String counts(JsonNode c) {
        if (c == null) {
            return "(none)";
        }
        return String.format("opened=%d closed=%d leaked=%d open=%d discarded=%d", c.get("opened").asLong(),
                c.get("closed").asLong(), c.get("leaked").asLong(), c.get("open").asLong(), c.get("discarded").asLong());
    }

    /** The pool rows of a client. */
    public static List<JsonNode> pools(JsonNode report, String client) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode p : report.get("pools")) {
            if (p.get("client").asText().equals(client)) {
                rows.add(p);
            }
        }
        return rows;
    }
}
