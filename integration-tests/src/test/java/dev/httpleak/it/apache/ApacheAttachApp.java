package dev.httpleak.it.apache;

import dev.httpleak.it.support.Attached;
import dev.httpleak.it.support.TestServer;

import java.util.ArrayList;
import java.util.List;

/**
 * A JVM started without the agent ({@link Attached}): {@code ApacheAttachApp 4|5}. It builds a pooled client and
 * holds one response before the agent is attached; after, it holds two more and makes one correct call. Each
 * line's code is in its own class, so only the Apache line on the class path is ever loaded.
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
            // Before the attach: invisible to the agent, but its connection is leased.
            Attached.target(line::hold, () -> {
                line.hold();
                line.hold();
                line.correct();
            });
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
