package dev.httpleak.demo;

import org.apache.hc.client5.http.async.methods.SimpleHttpRequests;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.fluent.Request;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Apache HttpClient 5: correct classic, fluent and async calls, then classic responses that are checked for
 * their status and dropped, and fluent responses whose content is never read.
 */
final class ApacheHttpClient5Demo implements Demo.ClientDemo {

    @Override
    public String name() {
        return "Apache HttpClient 5";
    }

    @Override
    public void run(String base, int leaks) throws Exception {
        try (CloseableHttpClient client = HttpClients.createDefault();
             CloseableHttpAsyncClient async = HttpAsyncClients.createDefault()) {
            async.start();
            try (CloseableHttpResponse ok = client.execute(new HttpGet(base + "/bytes?n=100"))) {
                EntityUtils.consume(ok.getEntity());
            }
            Request.get(base + "/bytes?n=100").execute().returnContent();
            async.execute(SimpleHttpRequests.get(base + "/bytes?n=100"), null).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < leaks; i++) {
                fetchStatus(client, base);
                fetchWithFluent(base);
            }
        }
    }

    private static int fetchStatus(CloseableHttpClient client, String base) throws IOException {
        CloseableHttpResponse response = client.execute(new HttpGet(base + "/bytes?n=1048576"));
        return response.getCode(); // the bug: the response is never closed
    }

    private static void fetchWithFluent(String base) throws IOException {
        Request.get(base + "/bytes?n=1048576").execute(); // the bug: neither returnContent() nor discardContent()
    }
}
