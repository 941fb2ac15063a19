package dev.httpleak.report;

import java.lang.reflect.Method;

/**
 * Where warnings go: the application's SLF4J when a provider is bound ({@code log=auto} or {@code slf4j}),
 * else standard error. SLF4J is looked up reflectively and lazily, at the first warning, so that the agent
 * never initialises the application's logging early and never needs SLF4J itself.
 */
public final class LogOutput {

    public enum Mode { AUTO, SLF4J, STDERR, OFF }

    private static final String PREFIX = "[httpleak] ";

    private final Mode mode;
    private volatile boolean resolved;
    private volatile Object logger;
    private volatile Method warn;
    private volatile Method note;

    public LogOutput(Mode mode) {
        this.mode = mode;
    }

    public void warn(String message) {
        write(true, message);
    }

    /** Information the user asked for (the {@code interval=} log): SLF4J's INFO level, or standard error. */
    public void note(String message) {
        write(false, message);
    }

    private void write(boolean warning, String message) {
        if (mode == Mode.OFF) {
            return;
        }
        if (!resolved) {
            resolve();
        }
        if (logger != null) {
            try {
                (warning ? warn : note).invoke(logger, message);
                return;
            } catch (Exception | LinkageError e) {
                logger = null; // fall back to stderr for good; a report is never dropped
            }
        }
        System.err.println(PREFIX + (warning ? "WARN " : "") + message);
    }

    /** One line about the agent itself (start-up, bad options, a client it could not instrument). */
    public static void info(String message) {
        System.err.println(PREFIX + message);
    }

    /**
     * Whether an SLF4J binding (1.7) or provider (2.x) is on the class path, checked without initialising SLF4J,
     * which would otherwise print its own "no binding" lines into the application's output.
     */
    private static boolean hasSlf4jProvider(ClassLoader loader) {
        return loader.getResource("org/slf4j/impl/StaticLoggerBinder.class") != null
                || loader.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null;
    }

    private synchronized void resolve() {
        if (resolved) {
            return;
        }
        if (mode == Mode.AUTO || mode == Mode.SLF4J) {
            try {
                ClassLoader loader = ClassLoader.getSystemClassLoader();
                if (hasSlf4jProvider(loader)) {
                    Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, loader);
                    Object bound = factory.getMethod("getILoggerFactory").invoke(null);
                    if (!bound.getClass().getName().contains("NOP")) {
                        Object l = factory.getMethod("getLogger", String.class).invoke(null, "dev.httpleak");
                        Class<?> logger = Class.forName("org.slf4j.Logger", true, loader);
                        warn = logger.getMethod("warn", String.class);
                        note = logger.getMethod("info", String.class);
                        this.logger = l;
                    }
                }
            } catch (Exception | LinkageError e) {
                // No SLF4J: standard error.
            }
            if (logger == null && mode == Mode.SLF4J) {
                info("log=slf4j but no SLF4J provider is bound; warnings go to standard error");
            }
        }
        resolved = true;
    }
}
