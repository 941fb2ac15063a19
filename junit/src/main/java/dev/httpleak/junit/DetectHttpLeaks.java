package dev.httpleak.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fails a test whose HTTP response bodies were not closed. After each test (after its {@code @AfterEach}
 * methods) the agent settles (a GC and a bounded retry window, no fixed sleep) and the test fails when a body
 * opened during it leaked (became unreachable while open) or, unless {@link #failOnOpen()} is false, is
 * still open. The message names each site, client and request, with the allocation stack and how many.
 *
 * <p>On a class it applies to every test of the class (and of its {@code @Nested} classes); on a method, to
 * that test. The innermost annotation decides {@link #failOnOpen()}. Installs the agent in this JVM when
 * the tests were not started with {@code -javaagent}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(HttpLeakExtension.class)
public @interface DetectHttpLeaks {

    /**
     * Whether a body opened during the test and still open (reachable, not closed) after it fails the test.
     * Set it to false for tests that hand a body to something that outlives them; leaks still fail.
     */
    boolean failOnOpen() default true;
}
