package dev.httpleak.it.agent;

import dev.httpleak.it.support.Forked;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pins the packaged agent jar: its contents stay under dev/httpleak/ and META-INF/, and its manifest. */
class AgentJarTest {

    @Test
    void holdsNothingOutsideItsOwnPackagesAndMetaInf() throws Exception {
        List<String> outside = new ArrayList<>();
        boolean byteBuddy = false;
        try (JarFile jar = new JarFile(Forked.agentJar().toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                byteBuddy |= name.startsWith("dev/httpleak/shaded/net/bytebuddy/");
                if (!name.startsWith("dev/httpleak/") && !name.startsWith("META-INF/") && !name.equals("dev/")) {
                    outside.add(name);
                }
            }
            assertNotNull(jar.getEntry("dev/httpleak/bootstrap/Hooks.class"));
            assertNotNull(jar.getEntry("META-INF/services/dev.httpleak.instrumentation.ClientSupport"));
        }
        assertEquals(new ArrayList<>(), outside);
        assertTrue(byteBuddy, "Byte Buddy is relocated under dev.httpleak.shaded");
    }

    @Test
    void manifestNamesEveryEntryPoint() throws Exception {
        try (JarFile jar = new JarFile(Forked.agentJar().toFile())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("dev.httpleak.agent.HttpLeakAgent", a.getValue("Premain-Class"));
            assertEquals("dev.httpleak.agent.HttpLeakAgent", a.getValue("Agent-Class"));
            assertEquals("dev.httpleak.cli.Main", a.getValue("Main-Class"));
            assertEquals("true", a.getValue("Can-Retransform-Classes"));
            assertEquals("true", a.getValue("Can-Redefine-Classes"));
        }
    }
}
