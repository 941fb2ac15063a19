package dev.httpleak.demo;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** {@code java.net.http.HttpClient}: a correct call, then an early return that forgets the body. */
final class JdkHttpClientDemo implements Demo.ClientDemo {

    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public String name() {
        return "java.net.http.HttpClient";
    }

    @Override
    public void run(String base, int leaks) throws Exception {
        HttpResponse<InputStream> ok = client.send(request(base + "/bytes?n=100"),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = ok.body()) {
            in.readAllBytes();
        }
        for (int i = 0; i < leaks; i++) {
            firstByteOnly(base);
        }
    }

    private int firstByteOnly(String base) throws Exception {
        HttpResponse<InputStream> response = client.send(request(base + "/bytes?n=1048576"),
                HttpResponse.BodyHandlers.ofInputStream());
        return response.body().read(); // the bug: the body is never closed
    }

    private static HttpRequest request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).build();
    }
}
