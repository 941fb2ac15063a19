package dev.httpleak.instrumentation.jdkhttpclient;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * The future {@code sendAsync} returns: completes with the tracked response when the client's completes;
 * cancelling it cancels the client's, as before.
 */
final class TrackedFuture<T> extends CompletableFuture<HttpResponse<T>> {

    private final CompletableFuture<HttpResponse<T>> source;

    TrackedFuture(CompletableFuture<HttpResponse<T>> source, TrackingHandler<T> handler) {
        this.source = source;
        source.whenComplete((response, error) -> {
            if (error != null) {
                completeExceptionally(error);
                return;
            }
            HttpResponse<T> delivered = response;
            try {
                delivered = handler.deliver(response);
            } catch (RuntimeException | LinkageError e) {
                // Tracking failed: the user gets the client's own response.
            }
            complete(delivered);
        });
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = source.cancel(mayInterruptIfRunning);
        return super.cancel(mayInterruptIfRunning) || cancelled;
    }
}
