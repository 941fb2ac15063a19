package dev.httpleak.it.apache;

import dev.httpleak.it.support.TestServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM started without the agent: {@code ApacheAttachApp 4|5}. It builds a pooled client and holds one
 * response before the agent is attached ({@code ready}); on {@code go} it holds two more and makes one correct
 * call ({@code done go}); on {@code exit} it ends. Each line's code is in its own class, so only the Apache line
 * on the class path is ever loaded.
 */
public final class ApacheAttachApp {

    interface Line {
        void hold() throws Exception;

        void correct() throws Exception;
    }

    static final List<Object> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        try (TestServer server = TestServer.start()) {
            String url = server.url(false, Apache4App.BIG);
            Line line = "4".equals(args[0]) ? new Four(url) : new Five(url);
            line.hold(); // before the attach: invisible to the agent, but its connection is leased
            System.out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command; (command = in.readLine()) != null; ) {
                if (command.equals("go")) {
                    line.hold();
                    line.hold();
                    line.correct();
                    System.out.println("done go");
                } else if (command.equals("exit")) {
                    break;
                }
            }
        }
    }

    static final class Four implements Line {
        private final org.apache.http.impl.client.CloseableHttpClient client = Apache4App.client(50, 0);
        private final String url;

        Four(String url) {
            this.url = url;
        }

        @Override
        public void hold() throws Exception {
            KEPT.add(client.execute(new org.apache.http.client.methods.HttpGet(url))); // site:hold4
        }

        @Override
        public void correct() throws Exception {
            org.apache.http.util.EntityUtils.consume(
                    client.execute(new org.apache.http.client.methods.HttpGet(url)).getEntity());
        }
    }

    static final class Five implements Line {
        private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient client = Apache5App.client(50, 0);
        private final String url;

        Five(String url) {
            this.url = url;
        }

        @Override
        public void hold() throws Exception {
            KEPT.add(client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url))); // site:hold5
        }

        @Override
        public void correct() throws Exception {
            org.apache.hc.core5.http.io.entity.EntityUtils.consume(
                    client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url)).getEntity());
        }
    }
}
