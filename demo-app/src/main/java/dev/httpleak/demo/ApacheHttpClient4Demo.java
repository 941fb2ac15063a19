package dev.httpleak.demo;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

import java.io.IOException;

/**
 * Apache HttpClient 4.5: a correct call, then responses whose status is checked and that are never closed,
 * until the route's pool is full and the next request times out waiting for a connection: the classic
 * production outage. httpleak warns when the request starts to wait, naming the code that holds the pool.
 */
final class ApacheHttpClient4Demo implements Demo.ClientDemo {

    @Override
    public String name() {
        return "Apache HttpClient 4.5";
    }

    @Override
    public void run(String base, int leaks) throws Exception {
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager();
        pool.setDefaultMaxPerRoute(leaks);
        RequestConfig config = RequestConfig.custom().setConnectionRequestTimeout(1000).build();
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool)
                .setDefaultRequestConfig(config).build()) {
            try (CloseableHttpResponse ok = client.execute(new HttpGet(base + "/bytes?n=100"))) {
                EntityUtils.consume(ok.getEntity());
            }
            for (int i = 0; i < leaks; i++) {
                fetchStatus(client, base);
            }
            try {
                fetchStatus(client, base);
            } catch (IOException e) {
                System.out.println(name() + ": the next request failed as in production: " + e);
            }
        }
    }

    private static int fetchStatus(CloseableHttpClient client, String base) throws IOException {
        CloseableHttpResponse response = client.execute(new HttpGet(base + "/bytes?n=1048576"));
        return response.getStatusLine().getStatusCode(); // the bug: the response is never closed
    }
}
