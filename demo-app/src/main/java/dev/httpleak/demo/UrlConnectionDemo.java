package dev.httpleak.demo;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;

/** {@code HttpURLConnection}: one correct call, then streams that are read a little and forgotten. */
final class UrlConnectionDemo implements Demo.ClientDemo {

    @Override
    public String name() {
        return "HttpURLConnection";
    }

    @Override
    public void run(String base, int leaks) throws Exception {
        HttpURLConnection ok = (HttpURLConnection) new URL(base + "/bytes?n=100").openConnection();
        try (InputStream in = ok.getInputStream()) {
            in.readAllBytes();
        }
        for (int i = 0; i < leaks; i++) {
            forgetToClose(base);
        }
    }

    private static void forgetToClose(String base) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(base + "/bytes?n=1048576").openConnection();
        c.getInputStream().read(); // the bug: never closed
    }
}
