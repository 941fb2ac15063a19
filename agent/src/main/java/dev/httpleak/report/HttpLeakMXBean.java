package dev.httpleak.report;

import java.util.List;

/**
 * The MBean {@code dev.httpleak:type=HttpLeak}, as jconsole, VisualVM or any JMX client sees it: the totals
 * as attributes, one row of counts per client, and the JSON report of CONTRACT.md on demand.
 */
public interface HttpLeakMXBean {

    long getOpened();

    long getClosed();

    long getLeaked();

    long getOpen();

    long getDiscarded();

    /** Bodies open longer than {@code suspectAfter} now. */
    long getSuspects();

    /** When the agent started counting (ISO-8601); bodies opened before are not counted. */
    String getCountingSince();

    String getAgentVersion();

    /** One row per client that opened a body: its id and counts. */
    List<ClientCounts> getClients();

    /** The counts of one client id (all zero for a client that opened nothing), or null for an unknown id. */
    ClientCounts clientCounts(String client);

    /** The JSON report now (after a short GC settle, so abandoned bodies count as leaked). */
    String report();
}
