package dev.httpleak.instrumentation.jdkhttpclient;

import java.util.concurrent.Flow;

/**
 * The body publisher the user gets. Once subscribed, the client holds the user's subscriber, and through
 * it this publisher: a subscribed body is the user's stream, told apart from a leak only by its age.
 */
final class TrackedPublisher<T> implements Flow.Publisher<T> {

    private final Flow.Publisher<T> publisher;

    TrackedPublisher(Flow.Publisher<T> publisher) {
        this.publisher = publisher;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super T> subscriber) {
        publisher.subscribe(new Flow.Subscriber<T>() {
            // Holding the publisher keeps the body reachable for as long as the subscription lives.
            private final TrackedPublisher<T> owner = TrackedPublisher.this;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(T item) {
                subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }

            @Override
            public String toString() {
                return subscriber + " (subscribed to " + owner.publisher + ")";
            }
        });
    }
}
