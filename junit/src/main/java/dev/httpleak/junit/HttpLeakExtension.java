package dev.httpleak.junit;

import dev.httpleak.core.Registry;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;

/**
 * The extension behind {@link DetectHttpLeaks}: a baseline before each test, a check after it. Its state lives
 * in the test's {@link ExtensionContext.Store}, so concurrent tests never share it.
 */
final class HttpLeakExtension implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HttpLeakExtension.class);
    private static final String STATE = "state";

    @Override
    public void beforeEach(ExtensionContext context) {
        Registry registry = AgentInstall.ensure();
        String name = context.getRequiredTestClass().getName() + " > " + context.getDisplayName();
        TestThreads.Watch watch = TestThreads.start(context.getUniqueId(), name);
        context.getStore(NAMESPACE).put(STATE, new State(registry, watch, registry.mark()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        State state = context.getStore(NAMESPACE).remove(STATE, State.class);
        if (state == null) {
            return;
        }
        boolean failOnOpen = failOnOpen(context);
        state.watch.finish();
        Findings findings = Findings.collect(state.registry, state.since, failOnOpen, state.watch::owns);
        findings.reportOthers(state.watch);
        AssertionError error = findings.error("during this test", failOnOpen);
        if (error != null) {
            throw error;
        }
    }

    /** The innermost {@link DetectHttpLeaks}: the method's, else its class's, else an enclosing class's. */
    private static boolean failOnOpen(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = c.getElement();
            if (element.isPresent()) {
                Optional<DetectHttpLeaks> a = AnnotationSupport.findAnnotation(element.get(), DetectHttpLeaks.class);
                if (a.isPresent()) {
                    return a.get().failOnOpen();
                }
            }
        }
        return true;
    }

    private static final class State {
        final Registry registry;
        final TestThreads.Watch watch;
        final long since;

        State(Registry registry, TestThreads.Watch watch, long since) {
            this.registry = registry;
            this.watch = watch;
            this.since = since;
        }
    }
}
