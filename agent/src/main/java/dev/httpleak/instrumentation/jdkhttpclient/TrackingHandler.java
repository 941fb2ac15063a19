package dev.httpleak.instrumentation.jdkhttpclient;

import dev.httpleak.core.Origin;
import dev.httpleak.core.Registry;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Stands in for the user's body handler. Its subscriber tells when the client is done with the connection;
 * {@link #deliver} hands the user a response whose body is a tracking wrapper that only the user reaches
 * (the client's own response and body objects stay reachable from its internals, so a phantom reference on
 * them would never fire).
 */
final class TrackingHandler<T> implements HttpResponse.BodyHandler<T> {

    /** Subscribers of the body handlers whose bodies must be closed or read: ofInputStream, ofLines, ofPublisher. */
    private static final String[] STREAMING = {
        "jdk.internal.net.http.ResponseSubscribers$HttpResponseInputStream",
        "jdk.internal.net.http.ResponseSubscribers$MappingSubscriber",
        "jdk.internal.net.http.ResponseSubscribers$PublishingBodySubscriber",
    };

    /**
     * Makes the subscriber that stands in for the handler's: one the client trusts as it trusts the handler's
     * (see {@code TrustedTrackingSubscriber}, compiled apart) where that JDK interface exists, else a plain one.
     */
    private static final BiFunction<HttpResponse.BodySubscriber<?>, Exchange, TrackingSubscriber<?>> SUBSCRIBERS =
            subscribers();

    private final HttpResponse.BodyHandler<T> delegate;
    private final Registry registry;
    private final Origin origin;
    private final HttpRequest request;
    private volatile Exchange latest;

    /**
     * @param origin where {@code sendAsync} was called; null for {@code send}, whose response {@link #deliver}
     *               gets on the calling thread when {@code send} returns, where the site is taken if still needed
     */
    TrackingHandler(HttpResponse.BodyHandler<T> delegate, Registry registry, Origin origin, HttpRequest request) {
        this.delegate = delegate;
        this.registry = registry;
        this.origin = origin;
        this.request = request;
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
        HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
        if (!isStreaming(subscriber)) {
            latest = null;
            return subscriber;
        }
        Exchange exchange = new Exchange(registry, origin, request.method(), request.uri(), info.statusCode());
        latest = exchange;
        return (HttpResponse.BodySubscriber<T>) SUBSCRIBERS.apply(subscriber, exchange);
    }

    /** Whether the response is delivered on the thread that called {@code send}, not by a future. */
    boolean deliversOnCaller() {
        return origin == null;
    }

    /**
     * The response the user gets: its body wrapped so that the agent can tell when the user drops it, or the
     * client's own when the client is done with the body already (then it is only counted).
     */
    @SuppressWarnings("unchecked")
    HttpResponse<T> deliver(HttpResponse<T> response) {
        Exchange exchange = latest;
        if (exchange == null || response == null || exchange.passedIfDone()) {
            return response;
        }
        Object body = response.body();
        Object wrapped;
        Object target;
        if (body instanceof InputStream) {
            wrapped = target = new TrackedInputStream((InputStream) body);
        } else if (body instanceof Stream) {
            Stream<?> lines = (Stream<?>) body;
            StreamCloser closer = new StreamCloser(lines);
            wrapped = StreamSupport.stream(lines.spliterator(), lines.isParallel()).onClose(closer);
            target = closer;
        } else if (body instanceof Flow.Publisher) {
            wrapped = target = new TrackedPublisher<>((Flow.Publisher<Object>) body);
        } else {
            return response;
        }
        exchange.track(target);
        return new TrackedResponse<>(response, (T) wrapped);
    }

    @SuppressWarnings("unchecked")
    private static BiFunction<HttpResponse.BodySubscriber<?>, Exchange, TrackingSubscriber<?>> subscribers() {
        try {
            return (BiFunction<HttpResponse.BodySubscriber<?>, Exchange, TrackingSubscriber<?>>) Class.forName(
                    TrackingHandler.class.getPackageName() + ".TrustedTrackingSubscriber$Factory", true,
                    TrackingHandler.class.getClassLoader()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return TrackingSubscriber::new; // the client then hands the body over on its executor, as for any handler
        }
    }

    private static boolean isStreaming(Object subscriber) {
        String name = subscriber.getClass().getName();
        for (String s : STREAMING) {
            if (s.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Closes the client's stream when the user's stream is closed; the phantom target for a lines body. */
    private static final class StreamCloser implements Runnable {
        private final Stream<?> source;

        StreamCloser(Stream<?> source) {
            this.source = source;
        }

        @Override
        public void run() {
            source.close();
        }
    }
}
