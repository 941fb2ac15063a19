package dev.httpleak.it.junit;

import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tests a user would write, run by {@link JunitLauncherApp} through the JUnit Platform launcher (not by
 * Surefire: the name does not end in Test).
 */
@DetectHttpLeaks
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class JunitCases {

    static final List<AutoCloseable> KEPT = new CopyOnWriteArrayList<>();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpURLConnection connect(String path) throws Exception {
        return (HttpURLConnection) URI.create(JunitLauncherApp.server.url(false, path)).toURL().openConnection();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(JunitLauncherApp.server.url(false, path))).build();
    }

    @Test
    @Order(1)
    void leaks() throws Exception {
        InputStream in = connect("/bytes?n=100000").getInputStream(); // site:leaks
        in.read();
    }

    @Test
    @Order(2)
    void closes() throws Exception {
        try (InputStream in = connect("/bytes?n=100000").getInputStream()) {
            in.read();
        }
        try (InputStream in = CLIENT.send(get("/bytes?n=100000"), HttpResponse.BodyHandlers.ofInputStream()).body()) {
            in.read();
        }
    }

    @Test
    @Order(3)
    @DetectHttpLeaks(failOnOpen = false)
    void keepsOpenOnPurpose() throws Exception {
        KEPT.add(CLIENT.send(get("/bytes?n=1048576"), HttpResponse.BodyHandlers.ofInputStream()).body());
    }

    @Test
    @Order(4)
    void keepsOpenByMistake() throws Exception {
        KEPT.add(connect("/bytes?n=100000").getInputStream()); // site:keepsOpenByMistake
    }

    @Test
    @Order(5)
    void leaksWithHttpClient() throws Exception {
        HttpResponse<InputStream> r = CLIENT.send(get("/bytes?n=1048576"), HttpResponse.BodyHandlers.ofInputStream()); // site:leaksWithHttpClient
        r.body().read();
    }
}
