package dev.httpleak.demo;

import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * OkHttp: a correct synchronous and asynchronous call, then responses that are checked for their status and
 * dropped, synchronously and from an {@code enqueue} callback (the async ones are blamed on the enqueue line).
 */
final class OkHttpDemo implements Demo.ClientDemo {

    @Override
    public String name() {
        return "OkHttp";
    }

    @Override
    public void run(String base, int leaks) throws Exception {
        OkHttpClient client = new OkHttpClient();
        try (Response ok = client.newCall(get(base + "/bytes?n=100")).execute()) {
            ok.body().string();
        }
        CountDownLatch answered = new CountDownLatch(1 + leaks);
        client.newCall(get(base + "/bytes?n=100")).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                answered.countDown();
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (Response r = response) {
                    r.body().string();
                } finally {
                    answered.countDown();
                }
            }
        });
        for (int i = 0; i < leaks; i++) {
            // A pool per leaky call: OkHttp 5 may hand a connection it found leaked (unread bytes and all) to the
            // next call before evicting it, which fails that call with "Unexpected status line".
            OkHttpClient leaky = client.newBuilder().connectionPool(new ConnectionPool()).build();
            forgetToClose(leaky, base);
            forgetToCloseAsync(leaky, base, answered);
        }
        answered.await(30, TimeUnit.SECONDS);
        client.dispatcher().executorService().shutdown(); // its threads are not daemons
    }

    private static void forgetToClose(OkHttpClient client, String base) throws IOException {
        Response response = client.newCall(get(base + "/bytes?n=1048576")).execute();
        if (!response.isSuccessful()) { // the bug: the body is never closed, on any path
            throw new IOException("status " + response.code());
        }
    }

    private static void forgetToCloseAsync(OkHttpClient client, String base, CountDownLatch answered) {
        client.newCall(get(base + "/bytes?n=1048576")).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                answered.countDown();
            }

            @Override
            public void onResponse(Call call, Response response) {
                System.out.println("OkHttp async status " + response.code()); // the bug: never closed
                answered.countDown();
            }
        });
    }

    private static Request get(String url) {
        return new Request.Builder().url(url).build();
    }
}
