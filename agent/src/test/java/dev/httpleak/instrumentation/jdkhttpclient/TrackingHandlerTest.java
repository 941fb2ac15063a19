package dev.httpleak.instrumentation.jdkhttpclient;

import dev.httpleak.core.Client;
import dev.httpleak.core.Registry;
import dev.httpleak.core.SiteRules;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The subscriber that stands in for the handler's must leave the client's hand-over as it was: a body of
 * {@code ofInputStream}, {@code ofLines} or {@code ofPublisher} is handed over on the thread that read it, not on
 * the client's executor. Needs {@code jdk.internal.net.http} open to the tests, as the agent opens it to itself.
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

    private <T> TrackingHandler<T> tracking(HttpResponse.BodyHandler<T> handler) {
        return new TrackingHandler<>(handler, registry, registry.origin(Client.JDK_HTTPCLIENT), request);
    }

    /** {@code ResponseSubscribers.TrustedSubscriber.needsExecutor(subscriber)}: whether the client hands over on its executor. */
    private static boolean needsExecutor(HttpResponse.BodySubscriber<?> subscriber) throws Exception {
        Method m = Class.forName("jdk.internal.net.http.ResponseSubscribers$TrustedSubscriber")
                .getMethod("needsExecutor", HttpResponse.BodySubscriber.class);
        return (Boolean) m.invoke(null, subscriber);
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
