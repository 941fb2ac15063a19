package dev.httpleak.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent} ({@link #premain}) and attach ({@link #agentmain}) share one
 * idempotent install path. Nothing thrown here ever reaches the application.
 */
public final class HttpLeakAgent {

    private HttpLeakAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
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
        // The boot path comes first: Installer refers to the boot-path hooks.
        BootPath.append(instrumentation);
        Installer.install(arguments, instrumentation, attached);
    }
}
