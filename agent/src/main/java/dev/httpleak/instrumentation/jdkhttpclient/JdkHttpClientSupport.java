package dev.httpleak.instrumentation.jdkhttpclient;

import dev.httpleak.bootstrap.Hooks;
import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.instrumentation.Agents;
import dev.httpleak.instrumentation.ClientSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code java.net.http.HttpClient}: every request goes through the innermost {@code HttpClientImpl.sendAsync}
 * ({@code send} included). On entry the body handler is replaced by a {@link TrackingHandler} that remembers
 * the caller's stack; on exit the future is replaced by one that hands out the tracked response. {@code send}
 * (the {@code HttpClientFacade}'s, the object users hold) puts its own handler in first and hands out the tracked
 * response itself when it returns, on the caller's thread: nothing is added between the client's threads and the
 * waiting caller, and a small body the client has finished with by then is only counted.
 */
public final class JdkHttpClientSupport implements ClientSupport {

    static final String HANDLER = "jdk-httpclient.handler";
    static final String FUTURE = "jdk-httpclient.future";
    static final String SEND = "jdk-httpclient.send";
    static final String SENT = "jdk-httpclient.sent";

    @Override
    public Client client() {
        return Client.JDK_HTTPCLIENT;
    }

    @Override
    public List<String> types() {
        return List.of("jdk.internal.net.http.HttpClientImpl", "jdk.internal.net.http.HttpClientFacade");
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public AgentBuilder instrument(Core core) {
        core.addWrapper(HANDLER, (handler, request) -> handler instanceof TrackingHandler ? handler
                : new TrackingHandler<>((HttpResponse.BodyHandler<?>) handler, core.registry(),
                        core.registry().origin(Client.JDK_HTTPCLIENT), (HttpRequest) request));
        core.addWrapper(SEND, (handler, request) -> new TrackingHandler<>((HttpResponse.BodyHandler<?>) handler,
                core.registry(), null, (HttpRequest) request));
        core.addWrapper(FUTURE, (future, handler) -> handler instanceof TrackingHandler
                && !((TrackingHandler) handler).deliversOnCaller() && !(future instanceof TrackedFuture)
                ? new TrackedFuture((CompletableFuture) future, (TrackingHandler) handler) : future);
        core.addWrapper(SENT, (response, handler) -> handler instanceof TrackingHandler
                ? ((TrackingHandler) handler).deliver((HttpResponse) response) : response);
        core.pools().addProbe(client(), new JdkHttpClientPools(core.registry()));
        return Agents.builder(client())
                .type(named("jdk.internal.net.http.HttpClientImpl"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(SendAsyncAdvice.class).on(named("sendAsync").and(takesArguments(4)))))
                .type(named("jdk.internal.net.http.HttpClientFacade"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(SendAdvice.class).on(named("send").and(takesArguments(2)))));
    }

    /**
     * Runs around the {@code sendAsync} that {@code send} calls and waits for. Woven into the facade's one-line
     * {@code send} (the object users hold), not {@code HttpClientImpl.send}: that one is 284 to 294 bytes of
     * bytecode, and this advice took it over C2's limit for inlining a hot method (325), so it was no longer
     * inlined into its caller.
     */
    static final class SendAdvice {
        private SendAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object request,
                @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
            handler = Hooks.wrap("jdk-httpclient.send", handler, request);
            return handler;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Enter Object handler,
                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response) {
            response = Hooks.wrap("jdk-httpclient.sent", response, handler);
        }
    }

    static final class SendAsyncAdvice {
        private SendAsyncAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object client, @Advice.Argument(0) Object request,
                @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
            Hooks.pool("jdk-httpclient", client);
            handler = Hooks.wrap("jdk-httpclient.handler", handler, request);
            return handler;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Enter Object handler,
                @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future) {
            future = Hooks.wrap("jdk-httpclient.future", future, handler);
        }
    }
}
