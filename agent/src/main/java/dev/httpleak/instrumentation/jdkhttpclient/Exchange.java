package dev.httpleak.instrumentation.jdkhttpclient;

import dev.httpleak.core.Body;
import dev.httpleak.core.Client;
import dev.httpleak.core.Origin;
import dev.httpleak.core.Registry;

import java.net.URI;

/**
 * One response of one request: whether the client has finished with its connection (all bytes received,
 * an error, or the body cancelled), and the tracked body once the user holds it. The client keeps this
 * object reachable, so it must never refer to what the user holds (only to the body's phantom handle).
 */
final class Exchange {

    private final Registry registry;
    /** Where the request was issued, or null to take it where {@link #track} runs (the caller of {@code send}). */
    private final Origin origin;
    private final String method;
    private final URI uri;
    private final int status;
    private volatile boolean done;
    private volatile boolean discarded;
    private volatile Body handle;

    Exchange(Registry registry, Origin origin, String method, URI uri, int status) {
        this.registry = registry;
        this.origin = origin;
        this.method = method;
        this.uri = uri;
        this.status = status;
    }

    /** The client is done with the connection; {@code discarded} when the body was cancelled before its end. */
    void finish(boolean cancelled) {
        if (done) {
            return;
        }
        discarded = cancelled;
        done = true;
        Body h = handle;
        if (h != null) {
            registry.end(h, cancelled);
        }
    }

    /**
     * When the client has finished with the connection already, the body is counted as opened and closed and
     * there is nothing to track (whatever the user does with it, it holds no connection): returns true.
     */
    boolean passedIfDone() {
        if (!done) {
            return false;
        }
        registry.passed(Client.JDK_HTTPCLIENT, discarded);
        return true;
    }

    /** The user now holds the body, through objects that only the user reaches; {@code target} is one of them. */
    void track(Object target) {
        Body h = registry.open(Client.JDK_HTTPCLIENT, target, method, uri, status, origin);
        handle = h;
        if (h != null && done) {
            registry.end(h, discarded);
        }
    }
}
