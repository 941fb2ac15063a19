package dev.httpleak.report;

import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.core.OpenBody;
import dev.httpleak.core.Tally;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The MBean {@code dev.httpleak:type=HttpLeak} over the running core. Registered in the platform MBean server,
 * so it shows in jconsole and VisualVM, and through any JMX connector the application already runs; the agent
 * itself opens no connector.
 */
public final class Jmx implements HttpLeakMXBean {

    public static final String NAME = "dev.httpleak:type=HttpLeak";

    private final Core core;
    private final long settleMillis;

    private Jmx(Core core, long settleMillis) {
        this.core = core;
        this.settleMillis = settleMillis;
    }

    /**
     * Registers the MBean. Creating the platform MBean server initialises {@code java.util.logging}, which some
     * application servers want to configure first from their {@code main}; so at JVM start ({@code -javaagent})
     * call this from a background thread a moment later, and at attach right away.
     */
    public static void register(Core core, long settleMillis) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new Jmx(core, settleMillis), new ObjectName(NAME));
        } catch (InstanceAlreadyExistsException e) {
            // Another copy of the agent (say, the JUnit support in another loader) got there first.
            LogOutput.info("the MBean " + NAME + " is registered already; left as it is");
        }
    }

    @Override
    public long getOpened() {
        return core.registry().totals().opened;
    }

    @Override
    public long getClosed() {
        return core.registry().totals().closed;
    }

    @Override
    public long getLeaked() {
        return core.registry().totals().leaked;
    }

    @Override
    public long getOpen() {
        return core.registry().totals().open;
    }

    @Override
    public long getDiscarded() {
        return core.registry().totals().discarded;
    }

    @Override
    public long getSuspects() {
        long n = 0;
        for (OpenBody b : core.registry().openBodies()) {
            if (b.suspect) {
                n++;
            }
        }
        return n;
    }

    @Override
    public String getCountingSince() {
        return core.since().toString();
    }

    @Override
    public String getAgentVersion() {
        return core.version();
    }

    @Override
    public List<ClientCounts> getClients() {
        List<ClientCounts> rows = new ArrayList<>();
        for (Client c : Client.values()) {
            Tally t = core.registry().tally(c);
            if (t.opened > 0) {
                rows.add(counts(c, t));
            }
        }
        return rows;
    }

    @Override
    public ClientCounts clientCounts(String client) {
        Client c = Client.byId(client);
        return c == null ? null : counts(c, core.registry().tally(c));
    }

    @Override
    public String report() {
        core.registry().settle(settleMillis);
        return JsonReport.render(core.registry(), core.pools(), core.version(), core.since());
    }

    private static ClientCounts counts(Client c, Tally t) {
        return new ClientCounts(c.id(), t.opened, t.closed, t.leaked, t.open, t.discarded);
    }
}
