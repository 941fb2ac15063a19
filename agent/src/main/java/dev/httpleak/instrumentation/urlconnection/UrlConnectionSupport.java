package dev.httpleak.instrumentation.urlconnection;

import dev.httpleak.bootstrap.Hooks;
import dev.httpleak.core.Client;
import dev.httpleak.core.Core;
import dev.httpleak.instrumentation.Agents;
import dev.httpleak.instrumentation.ClientSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.io.InputStream;
import java.net.URL;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * {@code HttpURLConnection} and {@code HttpsURLConnection}. The body is the {@code HttpInputStream} that
 * {@code getInputStream0()} creates, for success and error responses alike ({@code getErrorStream()}
 * returns the same object). HTTPS goes through {@code DelegateHttpsURLConnection}, a subclass of the
 * instrumented class, so each body counts once. It ends at EOF, {@code close()} or {@code disconnect()};
 * it is discarded when the JDK closes the socket instead of keeping it alive.
 */
public final class UrlConnectionSupport implements ClientSupport {

    @Override
    public Client client() {
        return Client.URLCONNECTION;
    }

    @Override
    public List<String> types() {
        return List.of("sun.net.www.protocol.http.HttpURLConnection",
                "sun.net.www.protocol.http.HttpURLConnection$HttpInputStream",
                "sun.net.www.http.HttpClient");
    }

    @Override
    public AgentBuilder instrument(Core core) {
        core.pools().addProbe(client(), new KeepAlivePools(core.registry()));
        return Agents.builder(client())
                .type(named("sun.net.www.protocol.http.HttpURLConnection"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(OpenAdvice.class).on(named("getInputStream0").and(takesArguments(0))))
                        .visit(Advice.to(DisconnectAdvice.class).on(named("disconnect").and(takesArguments(0)))))
                .type(named("sun.net.www.protocol.http.HttpURLConnection$HttpInputStream"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ReadAdvice.class).on(named("read").and(returns(int.class))
                                .and(takesArguments(0).or(takesArguments(3)))))
                        .visit(Advice.to(CloseAdvice.class).on(named("close").and(takesArguments(0)))))
                .type(named("sun.net.www.http.HttpClient"))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(DropAdvice.class).on(named("closeServer").and(takesArguments(0)))));
    }

    /** A body exists once the response headers are read, whether or not getInputStream() then throws. */
    static final class OpenAdvice {
        private OpenAdvice() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.FieldValue("inputStream") InputStream body, @Advice.FieldValue("method") String method,
                @Advice.FieldValue("url") URL url, @Advice.FieldValue("responseCode") int status) {
            if (body != null && body.getClass().getName().endsWith("$HttpInputStream")) {
                Hooks.opened("urlconnection", body, method, url, status, null);
            }
        }
    }

    static final class DisconnectAdvice {
        private DisconnectAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static InputStream enter(@Advice.FieldValue("inputStream") InputStream body) {
            Hooks.closeStarted(body);
            return body;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Enter InputStream body) {
            Hooks.closeFinished(body);
        }
    }

    static final class ReadAdvice {
        private ReadAdvice() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This InputStream body, @Advice.Return int read) {
            if (read < 0) {
                Hooks.ended(body, false);
            }
        }
    }

    static final class CloseAdvice {
        private CloseAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This InputStream body) {
            Hooks.closeStarted(body);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This InputStream body) {
            Hooks.closeFinished(body);
        }
    }

    static final class DropAdvice {
        private DropAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Hooks.connectionDropped();
        }
    }
}
