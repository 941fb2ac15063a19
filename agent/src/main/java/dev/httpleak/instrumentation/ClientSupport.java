package dev.httpleak.instrumentation;

import dev.httpleak.core.Client;
import dev.httpleak.core.Core;

import java.lang.instrument.Instrumentation;

/**
 * The instrumentation of one client, found with {@link java.util.ServiceLoader}. Each is installed inside its
 * own try/catch: a failure disables that client and leaves the others working.
 */
public interface ClientSupport {

    Client client();

    void install(Instrumentation instrumentation, Core core) throws Exception;
}
