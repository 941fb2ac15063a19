package dev.httpleak.it.okhttp;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;

/**
 * Loaded once per isolated class loader by {@link OkHttpLoadersApp}, each time with a different OkHttp version
 * beside it: leaks {@code count} bodies from one marked line.
 */
public final class OkHttpLeaker {

    private OkHttpLeaker() {
    }

    public static String leak(String url, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            // A client (so a connection pool) per leaked call: OkHttp 5 may hand a connection it found leaked
            // to the next call before evicting it.
            OkHttpClient client = new OkHttpClient();
            Response response = client.newCall(new Request.Builder().url(url).build()).execute(); // site:isolated
            response.body().source().readByte();
        }
        return OkHttpClient.class.getProtectionDomain().getCodeSource().getLocation().toString();
    }
}
