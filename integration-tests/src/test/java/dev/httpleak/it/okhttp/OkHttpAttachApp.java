package dev.httpleak.it.okhttp;

import dev.httpleak.it.support.Attached;
import dev.httpleak.it.support.TestServer;
import okhttp3.OkHttpClient;
import okhttp3.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM started without the agent ({@link Attached}): an OkHttp client holds one response before the agent is
 * attached (so OkHttp's classes are loaded, and retransformed by the attach); after, it holds two more and makes one
 * correct call.
 */
public final class OkHttpAttachApp {

    static final List<Response> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        try (TestServer server = TestServer.start()) {
            String url = server.url(false, OkHttpApp.BIG);
            OkHttpClient client = new OkHttpClient();
            Attached.target(() -> hold(client, url), () -> {
                hold(client, url);
                hold(client, url);
                try (Response response = client.newCall(OkHttpApp.get(url)).execute()) {
                    response.body().bytes();
                }
            });
        }
    }

    static void hold(OkHttpClient client, String url) throws IOException {
        KEPT.add(client.newCall(OkHttpApp.get(url)).execute()); // site:hold
    }
}
