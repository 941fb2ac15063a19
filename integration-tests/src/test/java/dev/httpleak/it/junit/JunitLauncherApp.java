package dev.httpleak.it.junit;

import dev.httpleak.it.support.TestServer;
import dev.httpleak.junit.HttpLeaks;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.InputStream;
import java.net.URI;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs {@link JunitCases} with the JUnit Platform launcher, as a build tool would, then uses
 * {@link HttpLeaks} directly. Prints one {@code RESULT name STATUS} line per test, {@code MESSAGE name ...}
 * (newlines as {@code \n}) and {@code TOP name frame} for each failure, and {@code BASELINE ...} lines.
 */
public final class JunitLauncherApp {

    static TestServer server;

    private JunitLauncherApp() {
    }

    public static void main(String[] args) throws Exception {
        server = TestServer.start();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(JunitCases.class)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (!id.isTest()) {
                            return;
                        }
                        String name = id.getDisplayName().replace("()", "");
                        System.out.println("RESULT " + name + " " + result.getStatus());
                        result.getThrowable().ifPresent(t -> {
                            System.out.println("MESSAGE " + name + " " + String.valueOf(t.getMessage()).replace("\n", "\\n"));
                            System.out.println("TOP " + name + " " + t.getStackTrace()[0]);
                        });
                    }
                });
        for (AutoCloseable c : JunitCases.KEPT) {
            c.close();
        }

        leak(); // before the baseline: ignored
        HttpLeaks.Baseline baseline = HttpLeaks.baseline();
        baseline.assertNoLeaks();
        System.out.println("BASELINE earlier leak ignored");
        leak();
        try {
            baseline.assertNoLeaks();
            System.out.println("BASELINE missed a leak");
        } catch (AssertionError e) {
            System.out.println("BASELINE caught " + e.getMessage().replace("\n", "\\n"));
        }
        server.close();
    }

    private static void leak() throws Exception {
        InputStream in = URI.create(server.url(false, "/bytes?n=100000")).toURL().openStream(); // site:leak
        in.read();
    }
}
