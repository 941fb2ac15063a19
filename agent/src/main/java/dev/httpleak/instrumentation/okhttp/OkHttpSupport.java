package dev.httpleak.instrumentation.okhttp;

import dev.httpleak.bootstrap.Hooks;
import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.instrumentation.Agents;
import dev.httpleak.instrumentation.ClientSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.util.Collection;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * OkHttp 3.14.x, 4.x and 5.x (the same internal shape since 3.14: {@code Exchange}, {@code RealCall},
 * {@code RealConnectionPool}). The body is the {@code Exchange$ResponseBodySource} that
 * {@code Exchange.openResponseBody} creates, one per network exchange: only the user's {@code Response},
 * {@code ResponseBody} and their sources reach it, however many interceptors re-wrap them, so it is the object
 * whose unreachability means a leak. It ends when its {@code read} hits the end, when it is closed (discarded
 * when the connection gets {@code noNewExchanges} during that close: unread bytes could not be skipped), or when
 * its call is cancelled. The site is taken where the user calls {@code execute()} or {@code enqueue()}, so
 * interceptors and dispatcher threads are never blamed.
 *
 * <p>Advice here is inlined into OkHttp's classes, which may live in any class loader (several copies in one
 * JVM each get instrumented): it only ever calls {@link Hooks}; the work is in {@link OkHttpTracker}. Kotlin
 * {@code internal} names are mangled ({@code noNewExchanges$okhttp}), hence the prefix matches.
 */
public final class OkHttpSupport implements ClientSupport {

    static final String BODY = "okhttp.body";
    static final String CALL = "okhttp.call";
    static final String EXECUTE = "okhttp.execute";
    static final String EXECUTED = "okhttp.executed";
    static final String CANCEL = "okhttp.cancel";
    static final String DISPATCHER = "okhttp.dispatcher";

    @Override
    public Client client() {
        return Client.OKHTTP;
    }

    @Override
    public List<String> types() {
        return List.of("okhttp3.internal.connection.Exchange",
                "okhttp3.internal.connection.Exchange$ResponseBodySource",
                "okhttp3.internal.connection.RealConnection",
                "okhttp3.RealCall",
                "okhttp3.internal.connection.RealCall",
                "okhttp3.Dispatcher",
                "okhttp3.internal.connection.RealConnectionPool");
    }

    @Override
    public AgentBuilder instrument(Core core) {
        OkHttpTracker tracker = new OkHttpTracker(core.registry(), core.pools());
        core.addWrapper(BODY, (body, owner) -> {
            try {
                return tracker.bodyOpened(body, owner);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unknown OkHttp body shape: " + e, e);
            }
        });
        core.addWrapper(CALL, tracker::callStarted);
        core.addWrapper(EXECUTE, tracker::executeStarted);
        core.addWrapper(EXECUTED, tracker::executeEnded);
        core.addWrapper(CANCEL, tracker::callCancelled);
        core.addWrapper(DISPATCHER, (dispatcher, unused) -> {
            try {
                return tracker.dispatcherPromoted(dispatcher);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("unknown OkHttp dispatcher shape: " + e, e);
            }
        });
        core.pools().addProbe(client(), new OkHttpPools());
        return Agents.builder(client())
                .type(named("okhttp3.internal.connection.Exchange"))
                .transform(Agents.typedAdvice(OkHttpSupport.class)
                        .advice(named("openResponseBody").and(takesArguments(1)), OpenAdvice.class.getName()))
                .type(named("okhttp3.internal.connection.Exchange$ResponseBodySource"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ReadAdvice.class).on(named("read").and(takesArguments(2))))
                        .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0)))))
                .type(named("okhttp3.internal.connection.RealConnection"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(DropAdvice.class).on(nameStartsWith("noNewExchanges").and(takesArguments(0)))))
                // 3.14 keeps RealCall in okhttp3; 4.x and 5.x moved it.
                .type(namedOneOf("okhttp3.RealCall", "okhttp3.internal.connection.RealCall"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ExecuteAdvice.class).on(named("execute").and(takesArguments(0))))
                        .visit(Advice.to(EnqueueAdvice.class).on(named("enqueue").and(takesArguments(1))))
                        .visit(Advice.to(CancelAdvice.class).on(named("cancel").and(takesArguments(0)))))
                .type(named("okhttp3.Dispatcher"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(DispatcherAdvice.class).on(named("promoteAndExecute"))))
                .type(named("okhttp3.internal.connection.RealConnectionPool"))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(PoolAdvice.class).on(named("put").and(takesArguments(1)))));
    }

    /**
     * A network response body now exists; its status and request are on the response argument. Compiled against
     * OkHttp's API (3.14; 4.x and 5.x keep the same methods and the exchange's {@code call} field), so it reads
     * them with plain calls, and the body's buffered source too. The body's length is the one its
     * {@code ResponseBodySource} was made with, which completes at once when that is 0 (3.14 through 5.x).
     */
    static final class OpenAdvice {
        private OpenAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue(value = "call", typing = Assigner.Typing.DYNAMIC) Object call,
                @Advice.Argument(0) Response response, @Advice.Return ResponseBody body) {
            Request request = response.request();
            Hooks.wrap("okhttp.body", body, new Object[] {call, request.method(), request.url().toString(),
                    response.code(), body.contentLength() == 0, body.source()});
        }
    }

    /**
     * Reading to the end completes the exchange and frees the connection. A read that fails (a reset, a
     * cancelled call's closed socket) completes it too, and the connection is not reused: discarded.
     */
    static final class ReadAdvice {
        private ReadAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object source, @Advice.FieldValue("completed") boolean completed,
                @Advice.Thrown Throwable failed) {
            if (completed) {
                Hooks.ended(source, failed != null);
            }
        }
    }

    static final class CloseAdvice {
        private CloseAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object source) {
            Hooks.closeStarted(source);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object source) {
            Hooks.closeFinished(source);
        }
    }

    /** During a body's close this means unread bytes remained and the connection will not be reused. */
    static final class DropAdvice {
        private DropAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Hooks.connectionDropped();
        }
    }

    /** The issuing thread: remember where the user made the call while it runs there. */
    static final class ExecuteAdvice {
        private ExecuteAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object call) {
            Hooks.wrap("okhttp.execute", call, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object call) {
            Hooks.wrap("okhttp.executed", call, null);
        }
    }

    /** The issuing thread: remember where the user made the call (dispatcher threads open async bodies). */
    static final class EnqueueAdvice {
        private EnqueueAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object call) {
            Hooks.wrap("okhttp.call", call, null);
        }
    }

    /** On entry: once the socket is closed, a reader on another thread would end the body first. */
    static final class CancelAdvice {
        private CancelAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object call) {
            Hooks.wrap("okhttp.cancel", call, null);
        }
    }

    /**
     * After each promotion: calls left waiting mean a dispatcher limit was hit. Every finished call promotes, so
     * the usual case (none waiting, a racy read of the dispatcher's own field) stays in the advice.
     */
    static final class DispatcherAdvice {
        private DispatcherAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object dispatcher,
                @Advice.FieldValue("readyAsyncCalls") Collection<?> ready) {
            if (!ready.isEmpty()) {
                Hooks.wrap("okhttp.dispatcher", dispatcher, null);
            }
        }
    }

    static final class PoolAdvice {
        private PoolAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object pool) {
            Hooks.pool("okhttp", pool);
        }
    }
}
