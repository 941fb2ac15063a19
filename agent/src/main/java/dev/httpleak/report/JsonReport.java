package dev.httpleak.report;

import dev.httpleak.core.Client;
import dev.httpleak.core.Exhaustion;
import dev.httpleak.core.OpenBody;
import dev.httpleak.core.PoolRow;
import dev.httpleak.core.Pools;
import dev.httpleak.core.Registry;
import dev.httpleak.core.Site;
import dev.httpleak.core.Tally;

import java.time.Instant;

/** The JSON report of CONTRACT.md ({@code httpleak-report/1}), built from the registry and the pools. */
public final class JsonReport {

    public static final String SCHEMA = "httpleak-report/1";

    private JsonReport() {
    }

    /** The report now. {@code since} is when the agent started counting. */
    public static String render(Registry registry, Pools pools, String agentVersion, Instant since) {
        Json j = new Json().begin()
                .field("schema", SCHEMA)
                .field("agentVersion", agentVersion)
                .field("generatedAt", Instant.now().toString())
                .field("countingSince", since.toString());
        tally(j.beginObject("totals"), registry.totals()).end();
        j.beginObject("clients");
        for (Client c : Client.values()) {
            Tally t = registry.tally(c);
            if (t.opened > 0) {
                tally(j.beginObject(c.id()), t).end();
            }
        }
        j.end();
        j.beginArray("leakSites");
        for (Site s : registry.leakSites()) {
            j.begin().field("client", s.client().id()).field("site", s.frame()).field("leaked", s.leaked());
            stack(j, s.stack());
            j.field("example", s.example()).field("status", s.status()).end();
        }
        j.endArray();
        j.beginArray("openBodies");
        for (OpenBody b : registry.openBodies()) {
            j.begin().field("client", b.client.id()).field("site", b.site).field("ageMillis", b.ageMillis)
                    .field("suspect", b.suspect).field("request", b.request).field("thread", b.thread).end();
        }
        j.endArray();
        j.beginArray("pools");
        for (PoolRow p : pools.rows()) {
            j.begin().field("client", p.client.id()).field("pool", p.pool).field("route", p.route)
                    .field("leased", p.leased).field("idle", p.idle).field("max", p.max)
                    .field("pending", p.pending);
            if (p.http2 != null) {
                j.field("http2", p.http2);
            }
            j.end();
        }
        j.endArray();
        j.beginArray("exhaustions");
        for (Exhaustion e : pools.exhaustions()) {
            j.begin().field("client", e.client.id()).field("route", e.route).field("at", e.at.toString())
                    .field("leased", e.leased).field("max", e.max).field("pending", e.pending);
            j.beginArray("holders");
            for (Exhaustion.Holder h : e.holders) {
                j.begin().field("site", h.site).field("count", h.count).field("oldestMillis", h.oldestMillis).end();
            }
            j.endArray().end();
        }
        j.endArray();
        return j.end().toString();
    }

    private static Json tally(Json j, Tally t) {
        return j.field("opened", t.opened).field("closed", t.closed).field("leaked", t.leaked)
                .field("open", t.open).field("discarded", t.discarded);
    }

    private static void stack(Json j, StackTraceElement[] stack) {
        j.beginArray("stack");
        if (stack != null) {
            for (StackTraceElement e : stack) {
                j.value(e.toString());
            }
        }
        j.endArray();
    }
}
