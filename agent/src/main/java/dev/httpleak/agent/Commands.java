package dev.httpleak.agent;

import dev.httpleak.core.Core;
import dev.httpleak.report.JsonReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Commands the CLI sends to an agent that runs already, through the attach API ({@code agentmain} with
 * {@code command=NAME,out=FILE}): the answer goes to FILE, which the CLI created and reads. Nothing is installed,
 * changed or opened in the JVM (no listener, no thread): the command runs on the JVM's attach thread and returns.
 */
final class Commands {

    static final String PREFIX = "command=";

    private Commands() {
    }

    static boolean isCommand(String arguments) {
        return arguments != null && arguments.startsWith(PREFIX);
    }

    static void run(String arguments) throws IOException {
        String command = null;
        String out = null;
        for (String pair : arguments.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            if ("command".equals(key)) {
                command = value;
            } else if ("out".equals(key)) {
                out = value;
            }
        }
        if (!"report".equals(command) || out == null) {
            throw new IllegalArgumentException("unknown command: " + arguments);
        }
        Core core = Core.current();
        if (core == null) {
            return; // nothing written: the CLI says that httpleak is not running here
        }
        core.registry().settle(Installer.SETTLE_MILLIS);
        String json = JsonReport.render(core.registry(), core.pools(), core.version(), core.since());
        Files.write(Paths.get(out), json.getBytes(StandardCharsets.UTF_8));
    }
}
