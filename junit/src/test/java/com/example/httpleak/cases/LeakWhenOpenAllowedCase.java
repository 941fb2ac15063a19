package com.example.httpleak.cases;

import com.example.httpleak.Server;
import dev.httpleak.junit.DetectHttpLeaks;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;

/** failOnOpen = false still fails on a leak (here from java.net.http, whose body the test drops). */
@DetectHttpLeaks(failOnOpen = false)
public class LeakWhenOpenAllowedCase {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    public static volatile String site;

    @Test
    void dropsBody() throws Exception {
        HttpResponse<InputStream> r = CLIENT.send(Server.request(1 << 20), HttpResponse.BodyHandlers.ofInputStream()); site = Server.here();
        r.body().read();
    }
}
