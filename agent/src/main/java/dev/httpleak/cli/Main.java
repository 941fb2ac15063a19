package dev.httpleak.cli;

import dev.httpleak.agent.Options;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code java -jar httpleak-agent.jar list | attach PID [options] | report PID [--out FILE]}: the agent for a JVM
 * that is running already. Everything goes through the attach API; nothing opens a port in the target.
 * Exit codes: 0 done, 1 failed (one clear message on standard error), 2 bad usage.
 */
public final class Main {

    /** Set in the target while the agent runs (see {@code Installer}): when it started counting. */
    static final String RUNNING_PROPERTY = "dev.httpleak.countingSince";

    private final PrintStream out;
    private final PrintStream err;

    private Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new Main(System.out, System.err).run(args);
        System.out.flush();
        if (code != 0) {
            System.exit(code);
        }
    }

    int run(String[] args) {
        try {
            String command = args.length == 0 ? "help" : args[0];
            switch (command) {
                case "list":
                    list();
                    return 0;
                case "attach":
                    attach(args);
                    return 0;
                case "report":
                    report(args);
                    return 0;
                case "options":
                    out.print(Options.helpText());
                    return 0;
                case "help":
                case "-h":
                case "--help":
                    out.print(usage());
                    return 0;
                default:
                    throw new Failure("unknown command '" + command + "'\n" + usage(), 2);
            }
        } catch (Failure f) {
            err.println("httpleak: " + f.getMessage());
            return f.code;
        } catch (RuntimeException | LinkageError e) {
            err.println("httpleak: unexpected error: " + e);
            return 1;
        }
    }

    private void list() throws Failure {
        requireAttachModule();
        long self = ProcessHandle.current().pid();
        out.printf("%-8s %s%n", "PID", "MAIN CLASS");
        for (Attach.Jvm jvm : Attach.list()) {
            if (jvm.pid != self) {
                out.printf("%-8d %s%n", jvm.pid, jvm.main);
            }
        }
    }

    private void attach(String[] args) throws Failure {
        if (args.length < 2 || args.length > 3) {
            throw new Failure("usage: attach PID [key=value,key=value]", 2);
        }
        long pid = pid(args[1]);
        String options = args.length == 3 ? args[2] : "";
        if (Commands.isReserved(options)) {
            throw new Failure("'" + options + "' is not an agent option; see: java -jar " + jarName() + " options", 2);
        }
        List<String> problems = Options.parse(options, new Properties()).problems();
        if (!problems.isEmpty()) {
            throw new Failure(String.join("\n", problems) + "\nnothing was attached", 2);
        }
        String jar = jar();
        requireAttachModule();
        checkTarget(pid);
        try (Attach vm = Attach.to(pid)) {
            String java = vm.property("java.specification.version");
            String main = Attach.mainOf(vm.property("sun.java.command"));
            String since = vm.property(RUNNING_PROPERTY);
            if (since != null) {
                out.println("httpleak is already running in JVM " + pid + " (" + main + "), counting since " + since
                        + "; nothing changed." + (options.isEmpty() ? ""
                        : " Options apply only when the agent starts; these were ignored: " + options));
                return;
            }
            if (java != null && feature(java) < 11) {
                throw new Failure("JVM " + pid + " runs Java " + java + "; the agent needs Java 11 or later");
            }
            try {
                vm.loadAgent(jar, options);
            } catch (Attach.Refused r) {
                throw new Failure(r.getMessage() + "\nRestart it with -XX:+EnableDynamicAgentLoading, or with"
                        + " -javaagent:" + jarName() + " from the start.");
            }
            since = vm.property(RUNNING_PROPERTY);
            if (since == null) {
                throw new Failure("the agent did not start in JVM " + pid + "; see that JVM's standard error");
            }
            out.println("httpleak attached to JVM " + pid + " (" + main + ", Java " + java + ").");
            out.println("Counting response bodies opened from " + since
                    + "; bodies opened before the attach are not counted.");
            out.println("Loaded client classes were re-instrumented; leak and pool warnings go to that JVM's log.");
            if (java != null && feature(java) >= 21) {
                out.println("Note: Java " + java + " prints a warning about a dynamically loaded agent unless started"
                        + " with -XX:+EnableDynamicAgentLoading; it is expected.");
            }
            out.println("Next:");
            out.println("  java -jar " + jarName() + " report " + pid + "    the JSON report, now");
            out.println("  jconsole " + pid + "    MBean dev.httpleak:type=HttpLeak (counts, report())");
            out.println("  jcmd " + pid + " JFR.start    records the dev.httpleak.* JFR events");
        }
    }

    private void report(String[] args) throws Failure {
        if (args.length != 2 && !(args.length == 4 && "--out".equals(args[2]))) {
            throw new Failure("usage: report PID [--out FILE]", 2);
        }
        long pid = pid(args[1]);
        Path target = args.length == 4 ? Paths.get(args[3]).toAbsolutePath() : null;
        String jar = jar();
        requireAttachModule();
        checkTarget(pid);
        try (Attach vm = Attach.to(pid)) {
            if (vm.property(RUNNING_PROPERTY) == null) {
                throw new Failure("httpleak is not running in JVM " + pid + " ("
                        + Attach.mainOf(vm.property("sun.java.command")) + "); attach it first: java -jar "
                        + jarName() + " attach " + pid);
            }
            Path answer = Files.createTempFile("httpleak-report-", ".json");
            try {
                if (answer.toString().contains(",")) {
                    throw new Failure("the temporary directory's path has a comma: " + answer
                            + "; set -Djava.io.tmpdir to another one");
                }
                // The running agent writes its report into the file and returns (see dev.httpleak.agent.Commands).
                try {
                    vm.loadAgent(jar, "command=report,out=" + answer);
                } catch (Attach.Refused r) {
                    throw new Failure(r.getMessage() + "\nThe report command asks the running agent through"
                            + " the attach API, which that refuses. httpleak runs there: read the same report from"
                            + " its MBean dev.httpleak:type=HttpLeak, operation report() (jconsole " + pid
                            + "), or from its report= file when it exits.");
                }
                byte[] json = Files.readAllBytes(answer);
                if (json.length == 0) {
                    throw new Failure("the agent in JVM " + pid + " wrote no report; see that JVM's standard error");
                }
                if (target == null) {
                    out.println(new String(json, StandardCharsets.UTF_8));
                } else {
                    if (target.getParent() != null) {
                        Files.createDirectories(target.getParent());
                    }
                    Files.write(target, json);
                    err.println("httpleak: report of JVM " + pid + " written to " + target);
                }
            } finally {
                Files.deleteIfExists(answer);
            }
        } catch (java.io.IOException e) {
            throw new Failure("could not write the report: " + e);
        }
    }

    /** Fails with a clear message unless the pid is another live process that the attach API can reach. */
    private static void checkTarget(long pid) throws Failure {
        if (pid == ProcessHandle.current().pid()) {
            throw new Failure("pid " + pid + " is this command's own JVM; give the pid of the application (see list)");
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (!process.isPresent() || !process.get().isAlive()) {
            throw new Failure("no process with pid " + pid + " (java -jar " + jarName() + " list shows the JVMs)");
        }
        ProcessHandle.Info info = process.get().info();
        String me = System.getProperty("user.name");
        Optional<String> owner = info.user();
        if (owner.isPresent() && !owner.get().equals(me) && !"root".equals(me)) {
            throw new Failure("JVM " + pid + " belongs to user " + owner.get() + ", and you are " + me
                    + ": the attach API only reaches JVMs of the same user. Run the command as that user, e.g.: sudo -u "
                    + owner.get() + " java -jar " + jarName() + " ...");
        }
        boolean listed = false;
        for (Attach.Jvm jvm : Attach.list()) {
            listed |= jvm.pid == pid;
        }
        Optional<String> command = info.command();
        boolean java = command.isPresent() && Paths.get(command.get()).getFileName().toString().startsWith("java");
        if (!listed && !java) {
            // Never send the attach signal (SIGQUIT) to a process that may not be a JVM: it could kill it. A JVM
            // missing from the list (started with -XX:-UsePerfData) is still tried when its command is java.
            throw new Failure("process " + pid + " (" + command.orElse("command unknown") + ") is not a Java VM"
                    + " that this user can attach to (java -jar " + jarName() + " list shows those)");
        }
    }

    private static void requireAttachModule() throws Failure {
        if (!ModuleLayer.boot().findModule("jdk.attach").isPresent()) {
            throw new Failure("this Java runtime (" + System.getProperty("java.home") + ") has no jdk.attach module"
                    + " (a JRE or a trimmed image), which attaching needs. Run the command with a full JDK's java,"
                    + " e.g. /path/to/jdk/bin/java -jar " + jarName() + " ...");
        }
    }

    private static long pid(String text) throws Failure {
        try {
            long pid = Long.parseLong(text);
            if (pid <= 0) {
                throw new NumberFormatException(text);
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new Failure("'" + text + "' is not a pid (java -jar " + jarName() + " list shows the JVMs)", 2);
        }
    }

    private static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        try {
            return Integer.parseInt(v.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** This agent jar, which the command loads into the target. */
    private static String jar() throws Failure {
        try {
            Path jar = Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                throw new Failure("run this from the agent jar: java -jar httpleak-agent.jar ...");
            }
            return jar.toAbsolutePath().toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new Failure("cannot find the agent jar: " + e);
        }
    }

    private static String jarName() {
        try {
            return Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return "httpleak-agent.jar";
        }
    }

    private static String usage() {
        String jar = jarName();
        return "usage:\n"
                + "  java -jar " + jar + " list                        local JVMs: pid and main class\n"
                + "  java -jar " + jar + " attach PID [key=value,...]  load the agent into a running JVM\n"
                + "  java -jar " + jar + " report PID [--out FILE]     its JSON report now, without stopping it\n"
                + "  java -jar " + jar + " options                     the agent's options\n";
    }

    /** The agent arguments the CLI keeps for itself (see {@code dev.httpleak.agent.Commands}). */
    static final class Commands {
        private Commands() {
        }

        static boolean isReserved(String options) {
            return options.startsWith("command=");
        }
    }
}
