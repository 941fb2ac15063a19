package com.example.httpleak;

import dev.httpleak.agent.HttpLeakAgent;
import dev.httpleak.core.Core;
import dev.httpleak.junit.HttpLeaks;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One agent per JVM, whichever way it came: the build runs these tests once without {@code -javaagent}
 * (the JUnit support installs the agent) and once with it in the argLine ({@code junittest.route}).
 */
class InstallRouteTest {

    @Test
    void theAgentRunsOnceWhicheverWayItCame() throws Exception {
        String route = System.getProperty("junittest.route");
        assumeTrue(route != null, "run by the build, which says which route it took");
        boolean javaagent = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-javaagent:") && a.contains("httpleak-agent"));

        HttpLeaks.install();
        Core core = Core.current();
        assertNotNull(core);
        HttpLeaks.install();
        assertSame(core, Core.current());

        if (route.equals("javaagent")) {
            assertTrue(javaagent, "started with -javaagent");
            // The JUnit support found the running agent and never attached a second one.
            assertThrows(IllegalStateException.class, ByteBuddyAgent::getInstrumentation);
        } else {
            assertFalse(javaagent, "started without -javaagent");
            // Installing again through the same Instrumentation changes nothing.
            HttpLeakAgent.install(null, ByteBuddyAgent.getInstrumentation(), true);
            assertSame(core, Core.current());
        }
    }
}
