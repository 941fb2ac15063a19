package dev.httpleak.junit;

import dev.httpleak.agent.HttpLeakAgent;
import dev.httpleak.core.Core;
import dev.httpleak.core.Registry;
import net.bytebuddy.agent.ByteBuddyAgent;

import java.lang.instrument.Instrumentation;

/**
 * Makes sure the agent runs in this JVM, exactly once: the one from {@code -javaagent} when there is one,
 * else one installed here through Byte Buddy's self-attach.
 *
 * <p>{@link Core} must not be loaded before the agent has put its boot-path runtime in place: it implements
 * an interface that has to come from the boot class path. So the check for a running agent looks at the boot
 * class path first, and this package keeps {@link Registry} (not {@code Core}) in its fields and signatures.
 */
final class AgentInstall {

    private static final String HOW_TO = "add -javaagent:/path/to/httpleak-agent.jar to the JVM options "
            + "(with Maven: the argLine of maven-surefire-plugin)";

    private static Registry registry;
    /** Why installing failed, so later tests fail fast with the same message instead of retrying. */
    private static String failure;

    private AgentInstall() {
    }

    /** The running agent's registry; installs the agent first when none runs. Throws when it cannot. */
    static synchronized Registry ensure() {
        if (registry != null) {
            return registry;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        if (!bootPathReady()) {
            // No agent yet (-javaagent would have run before any test): install one, once.
            try {
                Instrumentation instrumentation = ByteBuddyAgent.install();
                HttpLeakAgent.install(arguments(), instrumentation, true);
            } catch (Throwable t) {
                failure = "httpleak: could not install the agent in this JVM (" + t + "); " + HOW_TO;
                throw new IllegalStateException(failure, t);
            }
        }
        Core core = Core.current();
        if (core == null) {
            failure = "httpleak: the agent's hooks are in this JVM but its core is not visible from httpleak-junit "
                    + "(it failed to start, see its output above, or another class loader loaded it); put "
                    + "httpleak-agent and httpleak-junit, the same version, on the same class path";
            throw new IllegalStateException(failure);
        }
        registry = core.registry();
        return registry;
    }

    /**
     * {@code stacks=all} unless {@code -Dhttpleak.stacks} chose otherwise: in tests every body keeps its own
     * stack and is named at its site, whatever the rate of requests (the default samples past a rate).
     */
    private static String arguments() {
        return System.getProperty("httpleak.stacks") == null ? "stacks=all" : null;
    }

    /**
     * Whether an agent put the boot-path runtime in place already. Looks on the boot class path only: loading
     * those classes through this class's loader first would make second, dead copies.
     */
    private static boolean bootPathReady() {
        try {
            Class.forName("dev.httpleak.bootstrap.Hooks", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
