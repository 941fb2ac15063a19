package dev.httpleak.it.okhttp;

import java.io.File;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A real HTTP/2 server (prior knowledge, cleartext) for the OkHttp scenarios: OkHttp's own MockWebServer 5.x,
 * loaded from {@code DIR} in a class loader of its own so that it never meets the OkHttp version under test.
 * Driven by reflection for that reason. It answers queued responses in order.
 */
final class H2Server implements AutoCloseable {

    private final Object server;
    private final Class<?> type;
    private final ClassLoader loader;

    H2Server(String dir, int responses, int bytes) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (File jar : new File(dir).listFiles((d, n) -> n.endsWith(".jar"))) {
            urls.add(jar.toURI().toURL());
        }
        loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        type = loader.loadClass("mockwebserver3.MockWebServer");
        server = type.getConstructor().newInstance();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object h2 = Enum.valueOf((Class) loader.loadClass("okhttp3.Protocol"), "H2_PRIOR_KNOWLEDGE");
        type.getMethod("setProtocols", List.class).invoke(server, Collections.singletonList(h2));
        Class<?> builderType = loader.loadClass("mockwebserver3.MockResponse$Builder");
        String body = "x".repeat(bytes);
        for (int i = 0; i < responses; i++) {
            Object builder = builderType.getConstructor().newInstance();
            builder = builderType.getMethod("body", String.class).invoke(builder, body);
            Object response = builderType.getMethod("build").invoke(builder);
            type.getMethod("enqueue", response.getClass()).invoke(server, response);
        }
        type.getMethod("start", InetAddress.class, int.class).invoke(server, InetAddress.getByName("127.0.0.1"), 0);
    }

    String url(String path) throws Exception {
        Method port = type.getMethod("getPort");
        return "http://127.0.0.1:" + port.invoke(server) + path;
    }

    @Override
    public void close() throws Exception {
        type.getMethod("close").invoke(server);
    }
}
