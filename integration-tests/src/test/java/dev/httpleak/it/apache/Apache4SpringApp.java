package dev.httpleak.it.apache;

import dev.httpleak.it.support.TestServer;
import org.apache.http.impl.client.CloseableHttpClient;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

import java.io.IOException;
import java.net.URI;

/**
 * Apache HttpClient 4.5 used through Spring's {@code HttpComponentsClientHttpRequestFactory}: leaks are blamed
 * on the caller of Spring, not on Spring's or Apache's frames. {@code Apache4SpringApp COUNT}.
 */
public final class Apache4SpringApp {

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        try (TestServer server = TestServer.start();
             CloseableHttpClient client = Apache4App.client(50, 0)) {
            HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(client);
            RestTemplate rest = new RestTemplate(factory);
            URI big = URI.create(server.url(false, Apache4App.BIG));
            for (int i = 0; i < count; i++) {
                byte[] body = rest.getForObject(big, byte[].class); // correct: RestTemplate closes the response
                if (body == null || body.length != 1048576) {
                    throw new IllegalStateException("short body");
                }
                leak(factory, big);
            }
            System.out.println("scenario spring done");
        }
    }

    static void leak(HttpComponentsClientHttpRequestFactory factory, URI uri) throws IOException {
        ClientHttpResponse response = factory.createRequest(uri, HttpMethod.GET).execute(); // site:springLeak
        if (response.getRawStatusCode() != 200) {
            throw new IllegalStateException("status " + response.getRawStatusCode());
        }
        // Forgot response.close().
    }
}
