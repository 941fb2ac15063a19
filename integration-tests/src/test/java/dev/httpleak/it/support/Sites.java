package dev.httpleak.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * The expected site of a scenario's body, read from the scenario's source: the line that carries the comment
 * {@code // site:NAME} in method {@code method}. Tests so never hard-code line numbers.
 */
public final class Sites {

    private Sites() {
    }

    /** {@code pkg.Class.method(Class.java:LINE)}, as {@link StackTraceElement#toString()} writes a frame. */
    public static String of(Class<?> scenario, String method, String marker) {
        Path source = Paths.get("src", "test", "java", scenario.getName().replace('.', '/') + ".java");
        List<String> lines;
        try {
            lines = Files.readAllLines(source, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + source.toAbsolutePath(), e);
        }
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().endsWith("// site:" + marker)) {
                if (found >= 0) {
                    throw new IllegalStateException("two lines marked site:" + marker + " in " + source);
                }
                found = i + 1;
            }
        }
        if (found < 0) {
            throw new IllegalStateException("no line marked site:" + marker + " in " + source);
        }
        return scenario.getName() + "." + method + "(" + scenario.getSimpleName() + ".java:" + found + ")";
    }
}
