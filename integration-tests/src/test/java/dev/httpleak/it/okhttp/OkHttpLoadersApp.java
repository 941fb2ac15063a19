package dev.httpleak.it.okhttp;

import dev.httpleak.it.support.TestServer;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Two OkHttp versions in one JVM, each in its own class loader whose parent is the platform loader (so neither
 * sees the other, nor the application class path): {@code OkHttpLoadersApp TEST_CLASSES DIR_A COUNT_A DIR_B COUNT_B}, where a
 * DIR holds one version's jars; a first argument names the test classes directory. Each loader runs {@link OkHttpLeaker} from its own copy of the test classes.
 */
public final class OkHttpLoadersApp {

    public static void main(String[] args) throws Exception {
        try (TestServer server = TestServer.start()) {
            File testClasses = new File(args[0]);
            for (int i = 1; i < args.length; i += 2) {
                List<URL> urls = new ArrayList<>();
                for (File jar : new File(args[i]).listFiles((d, n) -> n.endsWith(".jar"))) {
                    urls.add(jar.toURI().toURL());
                }
                urls.add(testClasses.toURI().toURL());
                URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
                        ClassLoader.getPlatformClassLoader());
                Class<?> leaker = Class.forName("dev.httpleak.it.okhttp.OkHttpLeaker", true, loader);
                Object from = leaker.getMethod("leak", String.class, int.class)
                        .invoke(null, server.url(false, OkHttpApp.BIG), Integer.parseInt(args[i + 1]));
                System.out.println("leaked with OkHttp from " + from + " in " + loader);
            }
        }
    }
}
