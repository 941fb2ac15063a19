package dev.httpleak.core;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteRulesTest {

    private final SiteRules rules = new SiteRules(Arrays.asList("com.acme.http."));

    @Test
    void libraryCodeIsSkipped() {
        for (String c : new String[] {"java.net.HttpURLConnection", "javax.net.ssl.X", "jdk.internal.net.http.HttpClientImpl",
                "sun.net.www.protocol.http.HttpURLConnection", "com.sun.proxy.$Proxy12", "dev.httpleak.core.Registry",
                "dev.httpleak.shaded.net.bytebuddy.X", "dev.httpleak.junit.HttpLeaks", "okhttp3.RealCall", "okio.Buffer",
                "org.apache.http.impl.client.CloseableHttpClient", "org.apache.hc.client5.http.fluent.Request",
                "kotlin.io.CloseableKt", "kotlinx.coroutines.X", "retrofit2.OkHttpCall", "feign.SynchronousMethodHandler",
                "org.springframework.web.client.RestTemplate", "org.springframework.http.client.X",
                "software.amazon.awssdk.http.apache.ApacheHttpClient", "com.amazonaws.http.AmazonHttpClient",
                "org.glassfish.jersey.client.JerseyInvocation", "jdk.proxy2.$Proxy7", "com.acme.Users$$Lambda$14/0x1",
                "com.acme.http.RestSupport", "com.acme.Service$$EnhancerBySpringCGLIB$$1"}) {
            assertTrue(rules.isLibrary(c), c);
        }
    }

    @Test
    void applicationCodeIsASite() {
        for (String c : new String[] {"com.acme.Users", "dev.httpleak.demo.Demo", "dev.httpleak.it.X", "Main",
                "com.acme.httpx.Client", "org.apache.commons.Foo", "javafoo.Bar"}) {
            assertFalse(rules.isLibrary(c), c);
        }
    }

    @Test
    void skipPrefixesComeFromTheOption() {
        assertFalse(new SiteRules(Collections.emptyList()).isLibrary("com.acme.http.RestSupport"));
    }

    @Test
    void agentFramesAreOnlyTheAgentsOwnPackages() {
        assertTrue(SiteRules.isAgent("dev.httpleak.bootstrap.Hooks"));
        assertTrue(SiteRules.isAgent("dev.httpleak.instrumentation.jdkhttpclient.TrackingHandler"));
        assertFalse(SiteRules.isAgent("dev.httpleak.demo.Demo"));
        assertFalse(SiteRules.isAgent("java.lang.Thread"));
    }
}
