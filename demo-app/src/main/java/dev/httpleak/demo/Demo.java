package dev.httpleak.demo;

import java.util.Arrays;
import java.util.List;

/**
 * Makes correct and leaky calls with every client httpleak instruments, against a server of its own on
 * 127.0.0.1. Run it with the agent to see real leak reports:
 * {@code java -javaagent:agent/target/httpleak-agent.jar=report=target/httpleak-report.json -jar demo-app/target/httpleak-demo.jar}
 */
public final class Demo {

    /** One client's part of the demo. */
    interface ClientDemo {
        String name();

        /** Makes correct calls and {@code leaks} leaky ones against {@code base} (http://127.0.0.1:PORT). */
        void run(String base, int leaks) throws Exception;
    }

    static final int LEAKS = 3;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        List<ClientDemo> demos = Arrays.asList(
                new UrlConnectionDemo(),
                new JdkHttpClientDemo(),
                new OkHttpDemo(),
                new ApacheHttpClient4Demo(),
                new ApacheHttpClient5Demo()
                // more client demos
        );
        try (DemoServer server = DemoServer.start()) {
            for (ClientDemo demo : demos) {
                demo.run(server.base(), LEAKS);
                System.out.println(demo.name() + ": made correct calls and " + LEAKS + " leaky ones");
            }
        }
        // A leak is found when the GC finds a body unreachable; a real service gets there by itself.
        System.gc();
        Thread.sleep(500);
        boolean agent = isAgentPresent();
        System.out.println(agent
                ? "Done. httpleak's warnings are above; its JSON report is written as the JVM exits."
                : "Done. Run again with -javaagent:agent/target/httpleak-agent.jar to see the leaks reported.");
    }

    private static boolean isAgentPresent() {
        try {
            Class.forName("dev.httpleak.bootstrap.Hooks", false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
