package dev.httpleak.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}) and attach ({@link #agentmain}) share one
 * idempotent install path. Nothing thrown here ever reaches the application.
 */
public final class HttpLeakAgent {

    /** The relocated name of Byte Buddy's {@code net.bytebuddy.safe} property. */
    private static final String SAFE_BYTE_BUDDY = "dev.httpleak.shaded.net.bytebuddy.safe";

    private HttpLeakAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        if (Commands.isCommand(arguments)) {
            // The CLI asking a running agent for something (its report); never installs anything.
            try {
                Commands.run(arguments);
            } catch (Throwable t) {
                System.err.println("[httpleak] could not answer " + arguments + ": " + t);
            }
            return;
        }
        start(arguments, instrumentation, true);
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
        try {
            install(arguments, instrumentation, attached);
        } catch (Throwable t) {
            System.err.println("[httpleak] could not start, the application runs without it: " + t);
        }
    }

    /**
     * Installs the agent through an {@link Instrumentation} obtained some other way (the JUnit support uses
     * this). Does nothing when the agent is running already; throws when it cannot start.
     */
    public static void install(String arguments, Instrumentation instrumentation, boolean attached)
            throws Exception {
        if (Runtime.version().feature() < 17) {
            throw new IllegalStateException("httpleak needs JDK 17 or later; this is " + Runtime.version());
        }
        // Byte Buddy's safe mode: no sun.misc.Unsafe, whose use newer JDKs warn about on the host's stderr.
        if (System.getProperty(SAFE_BYTE_BUDDY) == null) {
            System.setProperty(SAFE_BYTE_BUDDY, "true");
        }
        // The boot path comes first: Installer refers to the boot-path hooks.
        BootPath.append(instrumentation);
        Installer.install(arguments, instrumentation, attached);
    }
}
