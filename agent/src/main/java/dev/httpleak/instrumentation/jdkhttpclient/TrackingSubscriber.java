package dev.httpleak.instrumentation.jdkhttpclient;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Passes everything through to the handler's subscriber, noting when the client is done with the connection. */
class TrackingSubscriber<T> implements HttpResponse.BodySubscriber<T> {

    final HttpResponse.BodySubscriber<T> delegate;
    private final Exchange exchange;

    TrackingSubscriber(HttpResponse.BodySubscriber<T> delegate, Exchange exchange) {
        this.delegate = delegate;
        this.exchange = exchange;
    }

    @Override
    public CompletionStage<T> getBody() {
        return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        delegate.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                subscription.request(n);
            }

            @Override
            public void cancel() {
                exchange.finish(true);
                subscription.cancel();
            }
        });
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        delegate.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
        exchange.finish(false);
        delegate.onError(throwable);
    }

    @Override
    public void onComplete() {
        exchange.finish(false);
        delegate.onComplete();
    }
}
