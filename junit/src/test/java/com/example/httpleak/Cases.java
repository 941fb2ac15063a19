package com.example.httpleak;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs a case class through the Jupiter engine and tells how each of its tests ended. */
final class Cases {

    private final Map<String, TestExecutionResult> results = new LinkedHashMap<>();

    private Cases(EngineExecutionResults run) {
        for (Event e : run.testEvents().finished().list()) {
            results.put(e.getTestDescriptor().getDisplayName(), e.getRequiredPayload(TestExecutionResult.class));
        }
    }

    static Cases run(Class<?> cases) {
        return new Cases(EngineTestKit.engine("junit-jupiter").selectors(selectClass(cases)).execute());
    }

    /** Runs the class with JUnit's parallel execution on, two threads. */
    static Cases runInParallel(Class<?> cases) {
        return new Cases(EngineTestKit.engine("junit-jupiter").selectors(selectClass(cases))
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "2")
                .execute());
    }

    /** The failure of the test with this display name; fails unless that test failed. */
    Throwable failure(String test) {
        TestExecutionResult r = result(test);
        if (r.getStatus() != TestExecutionResult.Status.FAILED) {
            throw new AssertionError(test + " should have failed but: " + r + "\nall: " + results);
        }
        return r.getThrowable().orElseThrow();
    }

    /** Fails unless the test with this display name passed. */
    void passed(String test) {
        TestExecutionResult r = result(test);
        if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            AssertionError e = new AssertionError(test + " should have passed but: " + r);
            r.getThrowable().ifPresent(e::initCause);
            throw e;
        }
    }

    int count() {
        return results.size();
    }

    private TestExecutionResult result(String test) {
        TestExecutionResult r = results.get(test);
        if (r == null) {
            throw new AssertionError("no test " + test + " in " + results.keySet());
        }
        return r;
    }
}
