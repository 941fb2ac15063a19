package dev.httpleak.bootstrap;

/**
 * What the agent's core does with the events {@link Hooks} receives. Implemented by the core (in the
 * application class loader); declared here, on the boot path, so that advice inlined into JDK classes can
 * reach it. Signatures use JDK types only.
 */
public interface Sink {

    /** Captures where a request of this client is issued, on the issuing thread; handed back to {@link #opened}. */
    Object origin(String client);

    /**
     * A body that must be closed or fully read was handed out.
     *
     * @param client a client id such as {@code urlconnection}
     * @param body the object whose reachability says whether the user can still close it
     * @param method the request method
     * @param target the request URL or URI (an immutable object; turned into text only when reported)
     * @param status the response status, or -1 when unknown
     * @param origin what {@link #origin()} returned on the issuing thread, or null to use the current stack
     */
    void opened(String client, Object body, String method, Object target, int status, Object origin);

    /**
     * As {@link #opened}, with no origin, for a request whose URL the client keeps as its route's host and a path
     * (the Apache clients): {@code host} is an immutable object whose text is {@code scheme://host:port}, {@code path}
     * the path as sent (absolute when sent through a proxy). The two are joined only when a report shows them.
     */
    void openedOnRoute(String client, Object body, String method, Object host, Object path, int status);

    /** The body was closed, fully read, consumed, aborted or cancelled. Later calls for it do nothing. */
    void ended(Object body, boolean discarded);

    /**
     * Replaces a value the client is about to hand to the user (or to itself) with a tracking one, for
     * clients whose own objects stay reachable from their internals. Returns {@code value} when there is
     * nothing to do.
     */
    Object wrap(String point, Object value, Object owner);

    /** A connection pool (or a client owning one) of this client exists; the core reads it for reports. */
    void pool(String client, Object pool);

    /** The agent itself failed inside a hook; the client call goes on untouched. */
    void failed(Throwable error);
}
