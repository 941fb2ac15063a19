package dev.httpleak.instrumentation.jdkhttpclient;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** The client's response with the tracked body in place of its own; everything else is the client's. */
final class TrackedResponse<T> implements HttpResponse<T> {

    private final HttpResponse<T> response;
    private final T body;

    TrackedResponse(HttpResponse<T> response, T body) {
        this.response = response;
        this.body = body;
    }

    @Override
    public int statusCode() {
        return response.statusCode();
    }

    @Override
    public HttpRequest request() {
        return response.request();
    }

    @Override
    public Optional<HttpResponse<T>> previousResponse() {
        return response.previousResponse();
    }

    @Override
    public HttpHeaders headers() {
        return response.headers();
    }

    @Override
    public T body() {
        return body;
    }

    @Override
    public Optional<SSLSession> sslSession() {
        return response.sslSession();
    }

    @Override
    public URI uri() {
        return response.uri();
    }

    @Override
    public HttpClient.Version version() {
        return response.version();
    }

    /** {@code HttpResponse.connectionLabel()} of newer JDKs (a default method there): the client's answer. */
    @SuppressWarnings("unchecked")
    public Optional<String> connectionLabel() {
        try {
            Method m = HttpResponse.class.getMethod("connectionLabel");
            return (Optional<String>) m.invoke(response);
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return response.toString();
    }
}
