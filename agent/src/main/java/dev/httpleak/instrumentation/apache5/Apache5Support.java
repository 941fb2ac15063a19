package dev.httpleak.instrumentation.apache5;

import dev.httpleak.bootstrap.Hooks;
import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.instrumentation.Agents;
import dev.httpleak.instrumentation.ClientSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;

import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Apache HttpClient 5.x ({@code apache-httpclient5}), 5.1 through 5.6: classic, fluent (built on classic) and
 * async.
 *
 * <p>Classic: the body is the {@code InternalExecRuntime} of a response that still holds its endpoint when
 * {@code MainClientExec} returns it. Response, entity and stream reach the runtime; the pool does not. It ends
 * when the entity is read to its end or closed ({@code ResponseEntityProxy.releaseConnection}, a normal end),
 * when the runtime releases its endpoint, or when it discards it ({@code close(IMMEDIATE)}, cancel, abort,
 * and on 5.1 {@code response.close()}): a <em>discarded</em> body unless the entity had ended first.
 *
 * <p>Async: the body is the {@code InternalHttpAsyncExecRuntime} of an HTTP/1.1 exchange, opened when the
 * exchange starts on its leased connection and ended when the connection is released or discarded. Its site
 * is taken on the thread that called {@code execute} (the runtime is created there). A stalled consumer keeps
 * it reachable from the I/O reactor, so such a body shows as open (a suspect once old), not as leaked.
 *
 * <p>Pools: every {@code PoolingHttpClientConnectionManager} and {@code PoolingAsyncClientConnectionManager} is
 * registered (weakly) when built, or when used if built before an attach; a lease that cannot be served at once
 * ({@code StrictConnPool} or {@code LaxConnPool}) records an exhaustion before the caller starts to wait.
 */
public final class Apache5Support implements ClientSupport {

    static final String ID = "apache-httpclient5";
    static final String ASYNC_CREATED = "apache5.async.created";
    static final String ASYNC_EXCHANGE = "apache5.async.exchange";
    static final String WAIT = "apache5.wait";

    private static final String CLASSIC_PKG = "org.apache.hc.client5.http.impl.classic.";
    private static final String ASYNC_PKG = "org.apache.hc.client5.http.impl.async.";
    private static final String CLASSIC_MANAGER = "org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager";
    private static final String ASYNC_MANAGER = "org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager";
    private static final ElementMatcher<TypeDescription> MANAGERS = namedOneOf(CLASSIC_MANAGER, ASYNC_MANAGER);

    @Override
    public Client client() {
        return Client.APACHE_HTTPCLIENT5;
    }

    @Override
    public List<String> types() {
        return List.of(CLASSIC_PKG + "MainClientExec",
                CLASSIC_PKG + "InternalExecRuntime",
                CLASSIC_PKG + "ResponseEntityProxy",
                ASYNC_PKG + "InternalHttpAsyncExecRuntime",
                ASYNC_PKG + "HttpAsyncMainClientExec",
                CLASSIC_MANAGER,
                ASYNC_MANAGER,
                "org.apache.hc.core5.pool.StrictConnPool",
                "org.apache.hc.core5.pool.LaxConnPool");
    }

    @Override
    public AgentBuilder instrument(Core core) {
        Apache5Bodies bodies = new Apache5Bodies(core);
        core.addWrapper(ASYNC_CREATED, bodies::asyncCreated);
        core.addWrapper(ASYNC_EXCHANGE, bodies::asyncExchange);
        core.addWrapper(WAIT, bodies::waiting);
        core.pools().addProbe(client(), new Apache5Pools());
        return Agents.builder(client())
                .type(named(CLASSIC_PKG + "MainClientExec"))
                .transform(Agents.typedAdvice(Apache5Support.class)
                        .advice(named("execute").and(takesArguments(3)), ExecuteAdvice.class.getName()))
                .type(named(CLASSIC_PKG + "InternalExecRuntime"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ReleaseAdvice.class).on(named("releaseEndpoint").and(takesArguments(0))))
                        .visit(Advice.to(DiscardAdvice.class).on(namedOneOf("discardEndpoint", "cancel")
                                .and(takesArguments(0)))))
                .type(named(CLASSIC_PKG + "ResponseEntityProxy"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ConsumedAdvice.class).on(named("releaseConnection").and(takesArguments(0)))))
                .type(named(ASYNC_PKG + "InternalHttpAsyncExecRuntime"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(AsyncCreatedAdvice.class).on(isConstructor()))
                        .visit(Advice.to(AsyncReleaseAdvice.class).on(namedOneOf("releaseEndpoint",
                                "validateConnection").and(takesArguments(0))))
                        .visit(Advice.to(AsyncDiscardAdvice.class).on(named("discardEndpoint").and(takesArguments(0)))))
                .type(named(ASYNC_PKG + "HttpAsyncMainClientExec"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(AsyncExecuteAdvice.class).on(named("execute").and(takesArguments(5)))))
                .type(MANAGERS)
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(PoolAdvice.class).on(isConstructor())))
                .type(Agents.loadedAlready(MANAGERS))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(PoolUseAdvice.class).on(named("lease"))))
                .type(namedOneOf("org.apache.hc.core5.pool.StrictConnPool", "org.apache.hc.core5.pool.LaxConnPool"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(LeaseAdvice.class).on(named("lease").and(takesArguments(4)))));
    }

    /**
     * A response left the innermost classic executor; if its runtime still holds the endpoint, a body. Compiled
     * against the client's API (5.1) and inlined into its {@code MainClientExec}, so it reads the response with plain
     * calls; the scope's fields are public.
     */
    static final class ExecuteAdvice {
        private ExecuteAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) ClassicHttpRequest request, @Advice.Argument(1) ExecChain.Scope scope,
                @Advice.Return ClassicHttpResponse response) {
            ExecRuntime runtime = scope.execRuntime;
            if (response != null && runtime != null && runtime.isEndpointAcquired()) {
                Hooks.openedOnRoute("apache-httpclient5", runtime, request.getMethod(), scope.route.getTargetHost(),
                        request.getRequestUri(), response.getCode());
            }
        }
    }

    static final class ReleaseAdvice {
        private ReleaseAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object runtime) {
            Hooks.ended(runtime, false);
        }
    }

    static final class DiscardAdvice {
        private DiscardAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object runtime) {
            Hooks.ended(runtime, true);
        }
    }

    /** The entity reached its end, or was closed after reading the rest: a normal end. */
    static final class ConsumedAdvice {
        private ConsumedAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue(value = "execRuntime", typing = Assigner.Typing.DYNAMIC) Object runtime) {
            Hooks.ended(runtime, false);
        }
    }

    /** Async runtimes are created on the thread that called execute: remember that caller. */
    static final class AsyncCreatedAdvice {
        private AsyncCreatedAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object runtime) {
            Hooks.wrap("apache5.async.created", runtime, null);
        }
    }

    /** An async exchange starts on its leased connection. */
    static final class AsyncExecuteAdvice {
        private AsyncExecuteAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object request, @Advice.Argument(2) Object scope) {
            Hooks.wrap("apache5.async.exchange", scope, request);
        }
    }

    /** Release (or a failed validation) gives the endpoint back once it is no longer held. */
    static final class AsyncReleaseAdvice {
        private AsyncReleaseAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object runtime,
                @Advice.FieldValue("endpointRef") AtomicReference<?> endpoint) {
            if (endpoint.get() == null) {
                Hooks.ended(runtime, false);
            }
        }
    }

    static final class AsyncDiscardAdvice {
        private AsyncDiscardAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object runtime) {
            Hooks.ended(runtime, true);
        }
    }

    static final class PoolAdvice {
        private PoolAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object manager) {
            Hooks.pool("apache-httpclient5", manager);
        }
    }

    /**
     * Finds managers built before the agent was attached: woven only into manager classes loaded before it (see
     * {@link Agents#loadedAlready}), since the constructor advice finds every later one. On every lease, it made the
     * manager's {@code lease} a tenth bigger for the JIT's inlining.
     */
    static final class PoolUseAdvice {
        private PoolUseAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object manager) {
            Hooks.pool("apache-httpclient5", manager);
        }
    }

    /**
     * A lease the pool could not serve at once waits: every permitted connection of the route is held. A future not
     * done on return may also be a served lease that another thread completes a moment later; {@code waiting} tells.
     */
    static final class LeaseAdvice {
        private LeaseAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object pool, @Advice.Argument(0) Object route,
                @Advice.Return Future<?> future) {
            if (future != null && !future.isDone()) {
                Hooks.wrap("apache5.wait", pool, route);
            }
        }
    }
}
