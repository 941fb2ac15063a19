package dev.httpleak.it.apache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.httpleak.it.support.Jdks;
import org.junit.jupiter.params.provider.Arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The folders of Apache jars the build prepared (oldest and newest of a line), and report look-ups. */
final class ApacheVersions {

    private ApacheVersions() {
    }

    /** {@code apache4-4.5}, {@code apache4-4.5.14}, ... : the two folders of one line (or the one of a wrapper). */
    static List<String> folders(String line) throws IOException {
        Path clients = Paths.get(System.getProperty("httpleak.clients"));
        List<String> dirs;
        try (Stream<Path> list = Files.list(clients)) {
            dirs = list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(line + "-")).sorted()
                    .collect(Collectors.toList());
        }
        int expected = line.startsWith("apache") ? 2 : 1; // the oldest and newest of a line, or one wrapper
        assertEquals(expected, dirs.size(), () -> "expected " + expected + " folders of " + line + " under " + clients
                + ": " + dirs);
        return dirs;
    }

    static Stream<Arguments> jdksAndVersions(String line) throws IOException {
        List<Arguments> list = new ArrayList<>();
        for (Jdks.Jdk jdk : Jdks.all()) {
            for (String version : folders(line)) {
                list.add(Arguments.of(jdk, version));
            }
        }
        return list.stream();
    }

    static String[] jars(String folder) throws IOException {
        try (Stream<Path> list = Files.list(Paths.get(System.getProperty("httpleak.clients"), folder))) {
            return list.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted().toArray(String[]::new);
        }
    }

    /** The one exhaustion entry of a client and route prefix; fails when there is none or several. */
    static JsonNode onlyExhaustion(JsonNode report, String client) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode e : report.get("exhaustions")) {
            if (e.get("client").asText().equals(client)) {
                found.add(e);
            }
        }
        assertEquals(1, found.size(), () -> "exhaustions: " + report.get("exhaustions").toPrettyString());
        return found.get(0);
    }

}
