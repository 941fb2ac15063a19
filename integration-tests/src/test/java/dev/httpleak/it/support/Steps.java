package dev.httpleak.it.support;

/**
 * Runs scenarios given as {@code SCENARIO:COUNT:SCHEME[+SCENARIO:COUNT:SCHEME...]} one after the other in one
 * forked JVM, against one {@link TestServer}, so that one report holds the exact sum of their counts.
 */
public final class Steps {

    /** One scenario of a scenario class. */
    public interface Scenario {
        void run(TestServer server, String name, int count, boolean secure) throws Exception;
    }

    private Steps() {
    }

    public static void run(String steps, Scenario scenario) throws Exception {
        try (TestServer server = TestServer.start()) {
            for (String step : steps.split("\\+")) {
                String[] parts = step.split(":");
                scenario.run(server, parts[0], Integer.parseInt(parts[1]), parts.length > 2 && "https".equals(parts[2]));
            }
        }
    }
}
