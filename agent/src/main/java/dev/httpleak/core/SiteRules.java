package dev.httpleak.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decides which stack frames are library code, so that a body is blamed on the first frame of the user's
 * own code (its site). The rules are those of CONTRACT.md: the JDK, the agent, the instrumented clients,
 * Kotlin's runtime, proxies and generated accessors, well-known libraries built on the clients, and the
 * user's {@code skip=} prefixes.
 */
public final class SiteRules {

    static final List<String> LIBRARY_PREFIXES = Arrays.asList(
            // The JDK.
            "java.", "javax.", "jdk.", "sun.", "com.sun.",
            // The agent itself.
            "dev.httpleak.agent.", "dev.httpleak.bootstrap.", "dev.httpleak.core.", "dev.httpleak.report.",
            "dev.httpleak.instrumentation.", "dev.httpleak.shaded.", "dev.httpleak.junit.", "dev.httpleak.cli.",
            // The instrumented clients.
            "okhttp3.", "okio.", "org.apache.http.", "org.apache.hc.",
            // Kotlin's runtime.
            "kotlin.", "kotlinx.",
            // Well-known libraries built on those clients.
            "retrofit2.", "feign.", "org.springframework.http.", "org.springframework.web.client.",
            "org.springframework.web.reactive.function.client.", "org.springframework.cloud.openfeign.",
            "org.springframework.retry.", "org.springframework.aop.", "org.springframework.cglib.",
            "org.glassfish.jersey.", "org.jboss.resteasy.", "org.apache.cxf.", "jakarta.ws.rs.",
            "software.amazon.awssdk.", "com.amazonaws.", "io.fabric8.kubernetes.client.", "io.kubernetes.client.",
            "com.google.api.client.", "com.google.cloud.", "com.google.auth.", "com.azure.core.",
            "io.github.resilience4j.", "net.jodah.failsafe.", "dev.failsafe.", "io.micrometer.", "io.opentelemetry.",
            "com.netflix.", "org.elasticsearch.client.", "co.elastic.clients.transport.", "com.squareup.moshi.",
            "com.fasterxml.jackson.", "com.google.gson.", "org.openapitools.client.", "io.swagger.client.");

    /** The agent's own packages (only these: {@code dev.httpleak.demo} and the tests are user code). */
    private static final String[] AGENT_PREFIXES = LIBRARY_PREFIXES.subList(5, 13).toArray(new String[0]);

    private final String[] prefixes;

    public SiteRules(List<String> extraPrefixes) {
        List<String> all = new ArrayList<>(LIBRARY_PREFIXES);
        all.addAll(extraPrefixes);
        this.prefixes = all.toArray(new String[0]);
    }

    /** True when a frame of this class is library code, not a site. */
    public boolean isLibrary(String className) {
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return isGenerated(className);
    }

    /** True for the agent's own frames, which never belong in a stack shown to the user. */
    public static boolean isAgent(String className) {
        for (String prefix : AGENT_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGenerated(String className) {
        return className.contains("$Proxy") || className.contains("$$Lambda") || className.contains("$$EnhancerBy")
                || className.contains("$$SpringCGLIB$$") || className.contains("$$FastClassBy")
                || className.contains("$ByteBuddy$") || className.contains("GeneratedMethodAccessor")
                || className.contains("GeneratedConstructorAccessor");
    }
}
