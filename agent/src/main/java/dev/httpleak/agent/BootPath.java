package dev.httpleak.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the boot-path runtime ({@code dev.httpleak.bootstrap}) on the boot class path, so that advice
 * inlined into JDK classes can call it. Must run before anything refers to those classes; a second call
 * (attach after {@code -javaagent}, the JUnit support) finds them there and does nothing.
 */
final class BootPath {

    static final String[] CLASSES = {
        "dev/httpleak/bootstrap/Hooks.class", "dev/httpleak/bootstrap/Hooks$Closing.class",
        "dev/httpleak/bootstrap/Sink.class",
    };

    private BootPath() {
    }

    static void append(Instrumentation instrumentation) throws IOException {
        try {
            Class.forName("dev.httpleak.bootstrap.Hooks", false, null);
            return;
        } catch (ClassNotFoundException expected) {
            // Not there yet.
        }
        File jar = File.createTempFile("httpleak-boot", ".jar");
        jar.deleteOnExit();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar.toPath()))) {
            for (String name : CLASSES) {
                try (InputStream in = BootPath.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IOException("the agent jar lacks " + name);
                    }
                    out.putNextEntry(new JarEntry(name));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
    }
}
