package dev.httpleak.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDKs every forked scenario runs on: 17 and 25 (paths from the build, see the root pom). A missing JDK
 * is skipped with a note, unless {@code -Dhttpleak.requireAllJdks=true} (as in CI) makes it a failure.
 */
public final class Jdks {

    private Jdks() {
    }

    /** For {@code @MethodSource("dev.httpleak.it.support.Jdks#all")}. */
    public static List<Jdk> all() {
        List<Jdk> jdks = new ArrayList<>();
        for (String name : new String[] {"17", "25"}) {
            String home = System.getProperty("httpleak.jdk" + name);
            if (home == null || home.isEmpty()) {
                continue;
            }
            Path java = Paths.get(home, "bin", "java");
            if (Files.isExecutable(java)) {
                jdks.add(new Jdk(name, java));
            } else if (Boolean.getBoolean("httpleak.requireAllJdks")) {
                throw new IllegalStateException("JDK " + name + " not found at " + home
                        + " (set -Dhttpleak.jdk" + name + "=PATH)");
            } else {
                System.err.println("note: JDK " + name + " not found at " + home + "; its runs are skipped");
            }
        }
        if (jdks.isEmpty()) {
            jdks.add(new Jdk("current", Paths.get(System.getProperty("java.home"), "bin", "java")));
        }
        return jdks;
    }

    /** For {@code @MethodSource}: each JDK over plain HTTP and over HTTPS. */
    public static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> withSchemes() {
        List<org.junit.jupiter.params.provider.Arguments> list = new ArrayList<>();
        for (Jdk jdk : all()) {
            list.add(org.junit.jupiter.params.provider.Arguments.of(jdk, "http"));
            list.add(org.junit.jupiter.params.provider.Arguments.of(jdk, "https"));
        }
        return list.stream();
    }

    /** One JDK to start forked JVMs with. */
    public static final class Jdk {
        public final String name;
        public final Path java;

        Jdk(String name, Path java) {
            this.name = name;
            this.java = java;
        }

        @Override
        public String toString() {
            return "JDK " + name;
        }
    }
}
