package dev.httpleak.instrumentation;

import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import net.bytebuddy.agent.builder.AgentBuilder;

import java.util.List;

/**
 * The instrumentation of one client, found with {@link java.util.ServiceLoader}. Nothing of it runs until the
 * first of its {@link #types()} loads (see {@code dev.httpleak.agent.LazyClients}), so a JVM pays for Byte Buddy
 * only once it uses a client. Each is set up inside its own try/catch: a failure disables that client and leaves
 * the others working.
 */
public interface ClientSupport {

    Client client();

    /**
     * Every class this client's advice goes into, by binary name. Only these are handed to {@link #instrument}'s
     * transformer, and the first of them to load installs it.
     */
    List<String> types();

    /** Sets up the tracking of this client and returns the Byte Buddy set-up of its {@link #types()}. */
    AgentBuilder instrument(Core core) throws Exception;
}
