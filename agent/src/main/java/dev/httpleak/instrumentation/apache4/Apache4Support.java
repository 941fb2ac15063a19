package dev.httpleak.instrumentation.apache4;

import dev.httpleak.bootstrap.Hooks;
import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.instrumentation.Agents;
import dev.httpleak.instrumentation.ClientSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.http.StatusLine;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.apache.http.conn.routing.HttpRoute;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 4.5.x classic ({@code apache-httpclient4}), 4.5 through 4.5.14.
 *
 * <p>The body is the {@code ConnectionHolder} that {@code MainClientExec} (or {@code MinimalClientExec}) creates
 * for a response with a streamed entity: the response proxy, its entity and the entity's stream all reach it,
 * and nothing in the pool does, so it becomes unreachable exactly when the user dropped every way to give the
 * connection back. It is opened once per network response, whatever {@code execute} overload ran.
 *
 * <p>It ends when the entity is read to its end or its stream closed (the stream's close reads the rest, so
 * the connection is reused: {@code ResponseEntityProxy.releaseConnection}), or when the holder releases its
 * connection; {@code response.close()}, {@code abort()} and cancel close the connection, which is a
 * <em>discarded</em> body unless the entity was read first.
 *
 * <p>Pools: every {@code PoolingHttpClientConnectionManager} is registered (weakly) when built, or when used if
 * built before an attach. A lease that has to wait is seen where the pool queues it
 * ({@code RouteSpecificPool.queue}).
 */
public final class Apache4Support implements ClientSupport {

    static final String ID = "apache-httpclient4";
    static final String RESPONSE = "apache4.response";
    static final String WAIT = "apache4.wait";

    private static final String MANAGER = "org.apache.http.impl.conn.PoolingHttpClientConnectionManager";

    @Override
    public Client client() {
        return Client.APACHE_HTTPCLIENT4;
    }

    @Override
    public List<String> types() {
        return List.of("org.apache.http.impl.execchain.MainClientExec",
                "org.apache.http.impl.execchain.MinimalClientExec",
                "org.apache.http.impl.execchain.ConnectionHolder",
                "org.apache.http.impl.execchain.ResponseEntityProxy",
                MANAGER,
                "org.apache.http.pool.RouteSpecificPool");
    }

    @Override
    public AgentBuilder instrument(Core core) {
        Apache4Bodies bodies = new Apache4Bodies(core);
        core.addWrapper(RESPONSE, bodies::opened);
        core.addWrapper(WAIT, bodies::waiting);
        core.pools().addProbe(client(), new Apache4Pools());
        return Agents.builder(client())
                .type(namedOneOf("org.apache.http.impl.execchain.MainClientExec",
                        "org.apache.http.impl.execchain.MinimalClientExec"))
                .transform(Agents.typedAdvice(Apache4Support.class)
                        .advice(named("execute").and(takesArguments(4)), ExecuteAdvice.class.getName()))
                .type(named("org.apache.http.impl.execchain.ConnectionHolder"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ReleaseAdvice.class).on(named("releaseConnection").and(takesArguments(0))))
                        .visit(Advice.to(DiscardAdvice.class).on(namedOneOf("abortConnection", "close", "cancel")
                                .and(takesArguments(0)))))
                .type(named("org.apache.http.impl.execchain.ResponseEntityProxy"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ConsumedAdvice.class).on(named("releaseConnection").and(takesArguments(0)))))
                .type(named(MANAGER))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(PoolAdvice.class).on(isConstructor())))
                .type(Agents.loadedAlready(named(MANAGER)))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(PoolUseAdvice.class).on(named("requestConnection"))))
                .type(named("org.apache.http.pool.RouteSpecificPool"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(QueueAdvice.class).on(named("queue").and(takesArguments(1)))));
    }

    /**
     * A response left the client's innermost executor; if it holds a connection, that is a body. Compiled against
     * the client's API (4.5) and inlined into its executors, so it reads the request and response with plain calls;
     * only the response's connection holder (a private field of a package-private class) is left to reflection.
     */
    static final class ExecuteAdvice {
        private ExecuteAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) HttpRoute route, @Advice.Argument(1) HttpRequestWrapper request,
                @Advice.Return CloseableHttpResponse response) {
            if (response != null) {
                StatusLine line = response.getStatusLine();
                Hooks.wrap("apache4.response", response, new Object[] {request.getMethod(), route.getTargetHost(),
                        request.getURI(), line == null ? -1 : line.getStatusCode()});
            }
        }
    }

    /** The holder gave its connection back (reused if the client could keep it alive). */
    static final class ReleaseAdvice {
        private ReleaseAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object holder) {
            Hooks.ended(holder, false);
        }
    }

    /** The holder closed or shut down its connection: reported discarded unless the body ended before. */
    static final class DiscardAdvice {
        private DiscardAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object holder) {
            Hooks.ended(holder, true);
        }
    }

    /** The entity reached its end, or its stream was closed (which reads the rest): a normal end. */
    static final class ConsumedAdvice {
        private ConsumedAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue(value = "connHolder", typing = Assigner.Typing.DYNAMIC) Object holder) {
            Hooks.ended(holder, false);
        }
    }

    static final class PoolAdvice {
        private PoolAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object manager) {
            Hooks.pool("apache-httpclient4", manager);
        }
    }

    /** Finds managers built before the agent was attached; woven only then ({@link Agents#loadedAlready}). */
    static final class PoolUseAdvice {
        private PoolUseAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object manager) {
            Hooks.pool("apache-httpclient4", manager);
        }
    }

    /** A lease found no free connection and no room for a new one: it is about to wait. */
    static final class QueueAdvice {
        private QueueAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object routePool) {
            Hooks.wrap("apache4.wait", routePool, null);
        }
    }
}
