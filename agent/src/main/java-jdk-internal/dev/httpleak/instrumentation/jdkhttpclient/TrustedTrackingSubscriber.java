package dev.httpleak.instrumentation.jdkhttpclient;

import jdk.internal.net.http.ResponseSubscribers;

import java.net.http.HttpResponse;
import java.util.function.BiFunction;

/**
 * A {@link TrackingSubscriber} that the client trusts exactly as far as it trusts the subscriber it wraps. The
 * client hands the body of a trusted subscriber over on the thread that read it; any other subscriber's
 * {@code getBody} runs on the client's executor, one more thread hand-off per response (about a tenth of the
 * throughput of a keep-alive GET on two cores). Compiled against {@code jdk.internal.net.http}, which the agent
 * opens to itself at start (see the agent module's build), and used only when that interface is there.
 */
final class TrustedTrackingSubscriber<T> extends TrackingSubscriber<T> implements ResponseSubscribers.TrustedSubscriber<T> {

    TrustedTrackingSubscriber(HttpResponse.BodySubscriber<T> delegate, Exchange exchange) {
        super(delegate, exchange);
    }

    @Override
    public boolean needsExecutor() {
        return ResponseSubscribers.TrustedSubscriber.needsExecutor(delegate);
    }

    /** How {@link TrackingHandler} makes these without naming the class (it is compiled after the main sources). */
    static final class Factory implements BiFunction<HttpResponse.BodySubscriber<?>, Exchange, TrackingSubscriber<?>> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public TrackingSubscriber<?> apply(HttpResponse.BodySubscriber<?> subscriber, Exchange exchange) {
            return new TrustedTrackingSubscriber(subscriber, exchange);
        }
    }
}
