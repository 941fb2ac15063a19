package dev.httpleak.instrumentation;

import dev.httpleak.core.Client;
import dev.httpleak.report.LogOutput;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.util.concurrent.atomic.AtomicBoolean;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/** The Byte Buddy set-up every client shares. */
public final class Agents {

    private Agents() {
    }

    /**
     * An agent builder that retransforms already-loaded classes without changing their shape (so attach
     * works), considers JDK classes too (each client then matches exact names only), and reports the first
     * failure of its client in one line.
     */
    public static AgentBuilder builder(Client client) {
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .ignore(nameStartsWith("dev.httpleak.").or(nameStartsWith("net.bytebuddy.")).or(isSynthetic()))
                .with(new FirstError(client));
    }

    private static final class FirstError extends AgentBuilder.Listener.Adapter {
        private final Client client;
        private final AtomicBoolean shown = new AtomicBoolean();

        FirstError(Client client) {
            this.client = client;
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                Throwable throwable) {
            if (shown.compareAndSet(false, true)) {
                LogOutput.info("could not instrument " + typeName + " for " + client.id()
                        + "; its bodies are not tracked: " + throwable);
            }
        }

        @Override
        public void onTransformation(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                boolean loaded, DynamicType dynamicType) {
            // Nothing to say when all goes well.
        }
    }
}
