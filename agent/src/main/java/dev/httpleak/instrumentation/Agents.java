package dev.httpleak.instrumentation;

import dev.httpleak.core.Client;
import dev.httpleak.report.LogOutput;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.util.concurrent.atomic.AtomicBoolean;

import static net.bytebuddy.matcher.ElementMatchers.none;

/** The Byte Buddy set-up every client shares. */
public final class Agents {

    private Agents() {
    }

    /**
     * An agent builder whose transformations keep each class's shape (so classes loaded already can be
     * retransformed: an attach), that considers JDK classes too (it only ever sees the exact classes its client
     * names), and that reports the first failure of its client in one line.
     */
    public static AgentBuilder builder(Client client) {
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .ignore(none())
                .with(new FirstError(client));
    }

    /**
     * A transformer for advice compiled against a client's API (its types in the advice's signature and body), so
     * that the advice calls the client's methods directly instead of through reflection. Such advice cannot be
     * loaded as a class where the agent lives (the client is not visible there); it is read by name from the
     * agent's class loader ({@code support}'s) and resolved against the class loader of each class it goes into.
     */
    public static AgentBuilder.Transformer.ForAdvice typedAdvice(Class<? extends ClientSupport> support) {
        return new AgentBuilder.Transformer.ForAdvice().include(support.getClassLoader());
    }

    /**
     * Matches the types {@code types} matches that were loaded before the agent set their client up, when they are
     * retransformed (an attach). Advice that only finds objects built before the agent came (its constructor advice
     * finds the later ones) goes there alone, off the request path of a JVM started with the agent.
     */
    public static AgentBuilder.RawMatcher loadedAlready(ElementMatcher<? super TypeDescription> types) {
        return (type, loader, module, redefined, domain) -> redefined != null && types.matches(type);
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
