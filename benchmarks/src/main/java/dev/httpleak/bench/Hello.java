package dev.httpleak.bench;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The application whose start-up {@link Startup} times: it says it reached {@code main}, then makes its first
 * HTTP request (an {@code HttpURLConnection} GET to a local {@link Responder}) and says so, and exits. The agent
 * instruments a client when its first class loads, so that request is where the agent's set-up of the client
 * shows.
 */
public final class Hello {

    private Hello() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("main");
        System.out.flush();
        try (Responder responder = new Responder()) {
            HttpURLConnection connection = (HttpURLConnection) URI.create(responder.url()).toURL().openConnection();
            try (InputStream body = connection.getInputStream()) {
                body.readAllBytes();
            }
        }
        System.out.println("first response");
        System.out.flush();
    }
}
