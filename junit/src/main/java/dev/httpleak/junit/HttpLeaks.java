package dev.httpleak.junit;

import dev.httpleak.core.Registry;

/**
 * Leak assertions for any test framework (no JUnit needed at run time). A {@link #baseline()} marks a
 * moment; {@link #assertNoLeaks()} then fails with an {@link AssertionError} if an HTTP response body opened
 * at or after it leaked or is still open. Bodies opened before the baseline (by fixtures, by other suites)
 * are ignored. Installs the agent in this JVM when it was not started with {@code -javaagent}.
 *
 * <pre>{@code
 * HttpLeaks.Baseline baseline = HttpLeaks.baseline();   // in a @BeforeMethod, say
 * ... code under test ...
 * baseline.assertNoLeaks();                              // or HttpLeaks.assertNoLeaks()
 * }</pre>
 *
 * <p>Unlike {@link DetectHttpLeaks}, these count bodies opened by any thread.
 */
public final class HttpLeaks {

    /** The baseline that {@link #assertNoLeaks()} uses: the latest {@link #baseline()}. */
    private static volatile Baseline latest;

    private HttpLeaks() {
    }

    /**
     * Installs the agent in this JVM unless it runs already (from {@code -javaagent}, or an earlier call).
     * Throws {@link IllegalStateException} with what to do when it cannot.
     */
    public static void install() {
        AgentInstall.ensure();
    }

    /**
     * Takes a baseline now: bodies opened before it are ignored by its {@link Baseline#assertNoLeaks()} and
     * by {@link #assertNoLeaks()}, until the next baseline.
     */
    public static Baseline baseline() {
        Registry registry = AgentInstall.ensure();
        Baseline b = new Baseline(registry, registry.mark());
        latest = b;
        return b;
    }

    /**
     * Fails if a body opened since the latest {@link #baseline()} (or, with none taken, since the agent
     * started) leaked or is still open.
     */
    public static void assertNoLeaks() {
        assertNoLeaks(true);
    }

    /** As {@link #assertNoLeaks()}; with {@code failOnOpen} false, only leaks fail. */
    public static void assertNoLeaks(boolean failOnOpen) {
        Baseline b = latest;
        if (b == null) {
            // Every body the agent has seen: a baseline further back than any JVM runs.
            b = new Baseline(AgentInstall.ensure(), System.nanoTime() - Long.MAX_VALUE / 2);
        }
        b.assertNoLeaks(failOnOpen);
    }

    /** A moment to compare against; bodies opened before it are ignored. */
    public static final class Baseline {
        private final Registry registry;
        private final long nanos;

        Baseline(Registry registry, long nanos) {
            this.registry = registry;
            this.nanos = nanos;
        }

        /** Fails if a body opened since this baseline leaked or is still open. */
        public void assertNoLeaks() {
            assertNoLeaks(true);
        }

        /** As {@link #assertNoLeaks()}; with {@code failOnOpen} false, only leaks fail. */
        public void assertNoLeaks(boolean failOnOpen) {
            Findings findings = Findings.collect(registry, nanos, failOnOpen, thread -> true);
            AssertionError error = findings.error("since the baseline", failOnOpen);
            if (error != null) {
                throw error;
            }
        }
    }
}
