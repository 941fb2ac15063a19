package dev.httpleak.report;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** One route of one connection pool, every period while a recording runs. */
@Name("dev.httpleak.PoolOccupancy")
@Label("HTTP Connection Pool Occupancy")
@Category({"httpleak"})
@Description("Connections of one route of one pool: leased, idle, the cap, and requests waiting")
@Enabled(true)
@Period("5 s")
@StackTrace(false)
public final class PoolOccupancyEvent extends Event {

    @Label("Client")
    String client;

    @Label("Pool")
    String pool;

    @Label("Route")
    @Description("scheme://host:port")
    String route;

    @Label("Leased")
    int leased;

    @Label("Idle")
    int idle;

    @Label("Max")
    @Description("The most connections the pool allows for the route, or -1 when it sets no cap")
    int max;

    @Label("Pending")
    @Description("Requests waiting for a connection")
    int pending;
}
