package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

/** Tests that close every body, or read it to its end. */
@DetectHttpLeaks
public class CleanCase {

    @Test
    void closes() throws Exception {
        try (InputStream in = Server.connect(100).getInputStream()) {
            in.read();
        }
    }

    @Test
    void readsToTheEnd() throws Exception {
        InputStream in = Server.connect(100).getInputStream();
        while (in.read() >= 0) {
            // drain
        }
    }

    @Test
    void closesWithHttpClient() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try (InputStream in = client.send(Server.request(100), HttpResponse.BodyHandlers.ofInputStream()).body()) {
            in.read();
        }
    }
}
