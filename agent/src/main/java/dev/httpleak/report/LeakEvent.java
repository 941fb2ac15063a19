package dev.httpleak.report;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A response body became unreachable while still open. Committed on the reaper thread, so the event's own stack
 * trace would say nothing: the allocation stack is in {@code stack}.
 */
@Name("dev.httpleak.Leak")
@Label("HTTP Response Body Leaked")
@Category({"httpleak"})
@Description("A response body was never closed nor read to its end, so its connection was not given back")
@Enabled(true)
@StackTrace(false)
public final class LeakEvent extends Event {

    @Label("Client")
    @Description("The client id: jdk-httpclient, urlconnection, apache-httpclient4, apache-httpclient5, okhttp")
    String client;

    @Label("Site")
    @Description("The first application frame of the allocation stack")
    String site;

    @Label("Request")
    @Description("Method and URL (redacted unless urls=full)")
    String request;

    @Label("Status")
    @Description("The response status, or -1 when unknown")
    int status;

    @Label("Thread")
    @Description("The name of the thread that issued the request")
    String thread;

    @Label("Stack")
    @Description("The allocation stack, one frame a line; empty when none was captured (see stacks=)")
    String stack;

    @Label("Site Leaks")
    @Description("How many bodies this site has leaked, this one included")
    long siteLeaks;
}
