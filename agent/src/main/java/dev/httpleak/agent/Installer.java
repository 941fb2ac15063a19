package dev.httpleak.agent;

import dev.httpleak.bootstrap.Hooks;
import dev.httpleak.core.Core;
import dev.httpleak.core.Registry;
import dev.httpleak.core.SiteRules;
import dev.httpleak.instrumentation.ClientSupport;
import dev.httpleak.report.IntervalLog;
import dev.httpleak.report.JfrEvents;
import dev.httpleak.report.Jmx;
import dev.httpleak.report.JsonReport;
import dev.httpleak.report.LeakLog;
import dev.httpleak.report.LogOutput;
import dev.httpleak.core.Reaper;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Builds the core from the options, opens the JDK modules it needs, and sets up each enabled client to be
 * instrumented when its first class loads.
 */
final class Installer {

    /** How long the exit report may wait for the GC to find abandoned bodies. */
    static final long SETTLE_MILLIS = 1_000;
    /** How long after JVM start ({@code -javaagent}) the MBean is registered. */
    static final long MBEAN_DELAY_MILLIS = 2_000;
    /**
     * Set while the agent runs, to when it started counting: the CLI reads it through the attach API to tell
     * whether the agent is in a JVM without loading anything into it.
     */
    static final String RUNNING_PROPERTY = "dev.httpleak.countingSince";

    /** Sets up the JFR events in the background; null when JFR is off. */
    private static volatile Thread jfrSetUp;

    private Installer() {
    }

    static synchronized Core install(String arguments, Instrumentation instrumentation, boolean attached)
            throws IOException {
        Options options = Options.parse(arguments, System.getProperties());
        options.problems().forEach(LogOutput::info);
        if (options.helpRequested()) {
            System.err.print(Options.helpText());
        }
        BootPath.append(instrumentation);
        if (Hooks.installed()) {
            LogOutput.info("already running in this JVM; nothing changed");
            return Core.current();
        }
        Registry registry = new Registry(new SiteRules(options.skip()),
                Registry.StackMode.valueOf(options.stacks().name()),
                options.urls() == Options.Urls.REDACTED, options.suspectAfter().toMillis());
        Core core = new Core(registry, version());
        LogOutput output = new LogOutput(LogOutput.Mode.valueOf(options.log().name()));
        LeakLog log = new LeakLog(output);
        registry.addListener(log);
        core.pools().addListener(log);
        openModules(instrumentation);
        Core.setCurrent(core);
        Hooks.install(core);
        List<ClientSupport> enabled = new ArrayList<>();
        for (ClientSupport support : ServiceLoader.load(ClientSupport.class, Installer.class.getClassLoader())) {
            if (options.enabled(support.client())) {
                enabled.add(support);
            }
        }
        new LazyClients(instrumentation, core, enabled).start();
        Reaper.start(registry);
        reporters(core, output, options, attached);
        System.setProperty(RUNNING_PROPERTY, core.since().toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> atExit(core, log, options.report()), "httpleak-exit"));
        if (attached) {
            LogOutput.info("attached; counting bodies opened from " + core.since());
        }
        return core;
    }

    /** The JMX, JFR and interval reporters; each is optional and fails alone, with one line. */
    private static void reporters(Core core, LogOutput output, Options options, boolean attached) {
        if (options.jmx() && ModuleLayer.boot().findModule("java.management").isPresent()) {
            if (attached) {
                registerMBean(core);
            } else {
                // Not in premain: creating the platform MBean server initialises java.util.logging, which some
                // applications (application servers) configure first thing in main.
                Thread t = new Thread(() -> {
                    try {
                        Thread.sleep(MBEAN_DELAY_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    registerMBean(core);
                }, "httpleak-jmx");
                t.setDaemon(true);
                t.start();
            }
        }
        if (options.jfr()) {
            if (ModuleLayer.boot().findModule("jdk.jfr").isPresent()) {
                // Off the start-up path: when a recording runs already, registering the events takes a few hundred
                // milliseconds that would delay main (else they wait for the first recording, see JfrEvents).
                // Leaks need a GC to be found, and the exit report waits for this thread.
                jfrSetUp = new Thread(() -> {
                    try {
                        JfrEvents.install(core);
                    } catch (Throwable t) {
                        LogOutput.info("could not set up the JFR events, the rest runs: " + t);
                    }
                }, "httpleak-jfr");
                jfrSetUp.setDaemon(true);
                jfrSetUp.start();
            }
        }
        if (options.interval() != null) {
            IntervalLog.start(core, output, options.interval(), options.suspectAfter());
        }
    }

    private static void registerMBean(Core core) {
        try {
            Jmx.register(core, SETTLE_MILLIS);
        } catch (Throwable t) {
            LogOutput.info("could not register the MBean " + Jmx.NAME + ", the rest runs: " + t);
        }
    }

    private static void atExit(Core core, LeakLog log, String reportPath) {
        try {
            Thread jfr = jfrSetUp;
            if (jfr != null) {
                jfr.join(SETTLE_MILLIS); // leaks found at exit go to JFR too
            }
            core.registry().settle(SETTLE_MILLIS);
            core.registry().awaitReaped(SETTLE_MILLIS); // the reaper may be writing a leak's warning
            log.flush();
            if (reportPath != null) {
                Path path = Paths.get(reportPath).toAbsolutePath();
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                String json = JsonReport.render(core.registry(), core.pools(), core.version(), core.since());
                Files.write(path, json.getBytes(StandardCharsets.UTF_8));
                LogOutput.info("report written to " + path);
            }
        } catch (Throwable t) {
            LogOutput.info("could not write the report to " + reportPath + ": " + t);
        }
    }

    /**
     * Lets {@code java.base} and {@code java.net.http} read the boot-path hooks that advice inlined into them
     * calls, and opens the internal packages whose pools the agent reads.
     */
    private static void openModules(Instrumentation instrumentation) {
        Module hooks = Hooks.class.getModule();
        Module agent = Installer.class.getModule();
        open(instrumentation, Object.class.getModule(), hooks, agent, "sun.net.www.http", "sun.net.www.protocol.http");
        Optional<Module> http = ModuleLayer.boot().findModule("java.net.http");
        http.ifPresent(m -> open(instrumentation, m, hooks, agent, "jdk.internal.net.http"));
    }

    private static void open(Instrumentation instrumentation, Module module, Module hooks, Module agent,
            String... packages) {
        Map<String, Set<Module>> opens = new HashMap<>();
        for (String p : packages) {
            opens.put(p, Set.of(agent));
        }
        instrumentation.redefineModule(module, Set.of(hooks), Collections.emptyMap(), opens,
                Collections.emptySet(), Collections.emptyMap());
    }

    private static String version() {
        String v = Installer.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
