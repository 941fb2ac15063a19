package dev.httpleak.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per build with the JDK's keytool. The same
 * file is the server's key store and the client's trust store.
 */
public final class Tls {

    public static final String PASSWORD = "changeit";
    private static Path store;

    private Tls() {
    }

    public static synchronized Path keyStore() {
        if (store == null) {
            try {
                store = create();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not make a test certificate with keytool", e);
            }
        }
        return store;
    }

    /** JVM options that make the default SSL context trust the test certificate and pass it to the server. */
    public static List<String> trustOptions() {
        String path = keyStore().toString();
        return Arrays.asList("-Djavax.net.ssl.trustStore=" + path, "-Djavax.net.ssl.trustStorePassword=" + PASSWORD,
                "-Dit.keyStore=" + path);
    }

    private static Path create() throws IOException, InterruptedException {
        Path file = Paths.get("target", "test-tls.p12").toAbsolutePath();
        if (Files.isRegularFile(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "tls", ".p12");
        Files.delete(tmp);
        Path keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "3650", "-dname", "CN=localhost", "-ext",
                "san=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", tmp.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return file;
    }
}
