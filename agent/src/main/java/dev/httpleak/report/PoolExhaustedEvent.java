package dev.httpleak.report;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** Requests for a route had to wait for a connection because every permitted one was held (at most 1/s a route). */
@Name("dev.httpleak.PoolExhausted")
@Label("HTTP Connection Pool Exhausted")
@Category({"httpleak"})
@Description("Requests waited for a connection because every permitted connection of the route was held")
@Enabled(true)
public final class PoolExhaustedEvent extends Event {

    @Label("Client")
    String client;

    @Label("Route")
    @Description("scheme://host:port")
    String route;

    @Label("Leased")
    int leased;

    @Label("Max")
    @Description("The most connections the pool allows for the route, or -1 when it sets no cap")
    int max;

    @Label("Pending")
    @Description("Requests waiting for a connection")
    int pending;

    @Label("Holders")
    @Description("The sites of the open bodies holding the route's connections: COUNT at SITE (oldest MS ms), one a line")
    String holders;
}
