package dev.httpleak.instrumentation.jdkhttpclient;

import dev.httpleak.core.Client;
import dev.httpleak.core.Registry;
import dev.httpleak.core.SiteRules;
import dev.httpleak.core.Tally;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The subscriber that stands in for the handler's must leave the client's hand-over as it was: a body of
 * {@code ofInputStream}, {@code ofLines} or {@code ofPublisher} is handed over on the thread that read it, not on
 * the client's executor. Needs {@code jdk.internal.net.http} open to the tests, as the agent opens it to itself.
 * What the user gets: the client's own response when the client is done with the body, else a tracked wrapper.
 */
class TrackingHandlerTest {

    private final Registry registry = new Registry(new SiteRules(Collections.emptyList()), Registry.StackMode.OFF,
            true, 60_000);
    private final HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost/")).build();

    @Test
    void streamingBodiesKeepTheClientsTrust() throws Exception {
        for (HttpResponse.BodyHandler<?> handler : Arrays.asList(HttpResponse.BodyHandlers.ofInputStream(),
                HttpResponse.BodyHandlers.ofLines(), HttpResponse.BodyHandlers.ofPublisher())) {
            HttpResponse.BodySubscriber<?> own = handler.apply(new Info());
            HttpResponse.BodySubscriber<?> tracking = tracking(handler).apply(new Info());
            assertTrue(tracking instanceof TrackingSubscriber, "tracked: " + own.getClass().getName());
            assertFalse(needsExecutor(own), "the client trusts its own " + own.getClass().getName());
            assertEquals(needsExecutor(own), needsExecutor(tracking), own.getClass().getName());
        }
    }

    @Test
    void otherBodiesAreLeftAlone() {
        HttpResponse.BodyHandler<String> handler = HttpResponse.BodyHandlers.ofString();
        HttpResponse.BodySubscriber<String> own = handler.apply(new Info());
        assertEquals(own.getClass(), tracking(handler).apply(new Info()).getClass());
    }

    @Test
    void aBodyTheClientHasFinishedIsHandedOutAsTheClientsOwnAndOnlyCounted() {
        TrackingHandler<InputStream> handler = new TrackingHandler<>(HttpResponse.BodyHandlers.ofInputStream(),
                registry, null, request);
        HttpResponse.BodySubscriber<InputStream> subscriber = handler.apply(new Info());
        subscriber.onSubscribe(new Idle());
        subscriber.onComplete(); // every byte received: the client gives the connection back
        HttpResponse<InputStream> own = new Response(new ByteArrayInputStream(new byte[0]));

        assertSame(own, handler.deliver(own));
        assertEquals("opened=1 closed=1 open=0", counts());
    }

    @Test
    void aBodyTheClientHasNotFinishedIsHandedOutWrappedAndTracked() {
        TrackingHandler<InputStream> handler = new TrackingHandler<>(HttpResponse.BodyHandlers.ofInputStream(),
                registry, null, request);
        handler.apply(new Info()).onSubscribe(new Idle());
        InputStream body = new ByteArrayInputStream(new byte[0]);

        HttpResponse<InputStream> delivered = handler.deliver(new Response(body));
        assertNotSame(body, delivered.body());
        assertEquals("opened=1 closed=0 open=1", counts());
    }

    private String counts() {
        Tally t = registry.tally(Client.JDK_HTTPCLIENT);
        return "opened=" + t.opened + " closed=" + t.closed + " open=" + t.open;
    }

    private <T> TrackingHandler<T> tracking(HttpResponse.BodyHandler<T> handler) {
        return new TrackingHandler<>(handler, registry, registry.origin(Client.JDK_HTTPCLIENT), request);
    }

    /** {@code ResponseSubscribers.TrustedSubscriber.needsExecutor(subscriber)}: whether the client hands over on its executor. */
    private static boolean needsExecutor(HttpResponse.BodySubscriber<?> subscriber) throws Exception {
        Method m = Class.forName("jdk.internal.net.http.ResponseSubscribers$TrustedSubscriber")
                .getMethod("needsExecutor", HttpResponse.BodySubscriber.class);
        return (Boolean) m.invoke(null, subscriber);
    }

    /** A subscription that nobody drives: the test calls the subscriber's methods itself. */
    private static final class Idle implements Flow.Subscription {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    }

    /** A response as the client completes its future with: status 200 and this body. */
    private final class Response implements HttpResponse<InputStream> {
        private final InputStream body;

        Response(InputStream body) {
            this.body = body;
        }

        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpRequest request() {
            return request;
        }

        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return new Info().headers();
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    /** The status line and headers of a response, as the client passes them to a handler. */
    private static final class Info implements HttpResponse.ResponseInfo {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (name, value) -> true);
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
