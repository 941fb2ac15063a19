package dev.httpleak.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The attach API ({@code com.sun.tools.attach}, module {@code jdk.attach}). Only {@link Main} refers to this
 * class, and only after it checked that the module is there, so the jar still starts (and explains) on a runtime
 * without it.
 */
final class Attach implements AutoCloseable {

    /** A local JVM: its pid and what it runs. */
    static final class Jvm {
        final long pid;
        final String main;

        Jvm(long pid, String main) {
            this.pid = pid;
            this.main = main;
        }
    }

    private final long pid;
    private final VirtualMachine vm;

    private Attach(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /** The JVMs of this user that the attach API sees (through their performance data files). */
    static List<Jvm> list() {
        List<Jvm> jvms = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            try {
                jvms.add(new Jvm(Long.parseLong(d.id()), mainOf(d.displayName())));
            } catch (NumberFormatException e) {
                // Not a process id: not a local JVM.
            }
        }
        jvms.sort((a, b) -> Long.compare(a.pid, b.pid));
        return jvms;
    }

    /** The main class or jar: the first word of the JVM's command, as jps shows it. */
    static String mainOf(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return "(unknown)";
        }
        String s = displayName.trim();
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    static Attach to(long pid) throws Failure {
        try {
            return new Attach(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException e) {
            throw new Failure("could not attach to JVM " + pid + ": " + e.getMessage() + "\n"
                    + "It may have been started with -XX:+DisableAttachMechanism, be busy or hung, or run in another"
                    + " container or with another temporary directory; run this command where the JVM runs.");
        } catch (IOException e) {
            throw new Failure("could not attach to JVM " + pid + ": " + e);
        }
    }

    /** A system property of the target JVM, read through the attach API (nothing is loaded into it). */
    String property(String name) throws Failure {
        try {
            Properties p = vm.getSystemProperties();
            return p.getProperty(name);
        } catch (IOException e) {
            throw new Failure("JVM " + pid + " did not answer: " + e);
        }
    }

    /** Loads the agent jar into the JVM and runs its {@code agentmain(options)}; returns when that has returned. */
    void loadAgent(String jar, String options) throws Failure {
        try {
            vm.loadAgent(jar, options);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("EnableDynamicAgentLoading")
                    || message.toLowerCase(java.util.Locale.ROOT).contains("dynamic agent loading")) {
                throw new Refused("JVM " + pid + " refuses agents loaded while it runs (it was started with"
                        + " -XX:-EnableDynamicAgentLoading). (" + message + ")");
            }
            throw new Failure(loadFailure(e));
        }
    }

    /** JDK 21+ started with {@code -XX:-EnableDynamicAgentLoading} (the default in a future release). */
    static final class Refused extends Failure {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private String loadFailure(Exception e) {
        if (e instanceof AgentInitializationException) {
            return "the agent failed to start in JVM " + pid + " (code "
                    + ((AgentInitializationException) e).returnValue() + "); see that JVM's standard error";
        }
        return "could not load the agent into JVM " + pid + ": " + e
                + "\nSee that JVM's standard error; the agent needs Java 11 or later.";
    }

    @Override
    public void close() {
        try {
            vm.detach();
        } catch (IOException ignored) {
            // Detaching only closes our side.
        }
    }
}
