package dev.httpleak.agent;

import dev.httpleak.core.Client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The agent's options: {@code key=value,key=value} from the agent argument, or {@code -Dhttpleak.key=value}
 * (the argument wins). A bad key or value becomes one line in {@link #problems()} and leaves the default.
 */
public final class Options {

    public enum Log { AUTO, SLF4J, STDERR, OFF }

    public enum Stacks { ALL, SAMPLED, OFF }

    public enum Urls { REDACTED, FULL }

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        spec("report", "PATH", "write the JSON report to PATH when the JVM exits", "none",
                (o, v) -> o.report = v);
        spec("log", "auto|slf4j|stderr|off", "where leak and pool warnings go", "auto",
                (o, v) -> o.log = choice(Log.class, v));
        spec("stacks", "all|sampled|off", "allocation stacks: every body, the first of each site, or none", "sampled",
                (o, v) -> o.stacks = choice(Stacks.class, v));
        spec("suspectAfter", "DURATION (500ms, 30s, 5m)", "a body open longer than this is a suspect", "60s",
                (o, v) -> o.suspectAfter = duration(v));
        spec("skip", "PREFIX;PREFIX", "more package prefixes treated as library code when blaming a frame", "none",
                (o, v) -> o.skip = list(v));
        spec("disable", "ID;ID with ID one of " + Client.ids(), "clients not to instrument", "none",
                (o, v) -> o.disabled = clients(v));
        spec("urls", "redacted|full", "redacted drops user-info and query values from every URL shown", "redacted",
                (o, v) -> o.urls = choice(Urls.class, v));
        spec("jmx", "true|false", "register the MBean dev.httpleak:type=HttpLeak", "true",
                (o, v) -> o.jmx = bool(v));
        spec("jfr", "true|false", "emit the dev.httpleak JFR events", "true",
                (o, v) -> o.jfr = bool(v));
        spec("interval", "DURATION (500ms, 30s, 5m) or off", "log pool occupancy and suspects this often", "off",
                (o, v) -> o.interval = "off".equals(v) ? null : duration(v));
        spec("help", "(no value)", "print these options and go on", "",
                (o, v) -> o.help = true);
    }

    private String report;
    private Log log = Log.AUTO;
    private Stacks stacks = Stacks.SAMPLED;
    private Duration suspectAfter = Duration.ofSeconds(60);
    private List<String> skip = Collections.emptyList();
    private Set<Client> disabled = EnumSet.noneOf(Client.class);
    private Urls urls = Urls.REDACTED;
    private boolean jmx = true;
    private boolean jfr = true;
    private Duration interval;
    private boolean help;
    private final List<String> problems = new ArrayList<>();

    private Options() {
    }

    /** Defaults only. */
    public static Options defaults() {
        return new Options();
    }

    /** Options from the system properties {@code httpleak.*}, then the agent argument (which wins). */
    public static Options parse(String agentArgument, Properties systemProperties) {
        Options o = new Options();
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith("httpleak.")) {
                o.set(name.substring("httpleak.".length()), systemProperties.getProperty(name), "-D" + name);
            }
        }
        if (agentArgument != null) {
            for (String pair : agentArgument.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                o.set(key, eq < 0 ? null : pair.substring(eq + 1).trim(), key);
            }
        }
        return o;
    }

    private void set(String key, String value, String shownAs) {
        Spec spec = SPECS.get(key);
        if (spec == null) {
            problems.add("unknown option '" + shownAs + "'; accepted: " + String.join(", ", SPECS.keySet()));
            return;
        }
        if (value == null && !"help".equals(key)) {
            problems.add("option '" + key + "' needs a value: " + spec.accepted);
            return;
        }
        try {
            spec.apply.accept(this, value);
        } catch (IllegalArgumentException e) {
            problems.add("bad value '" + value + "' for option '" + key + "'; accepted: " + spec.accepted);
        }
    }

    /** The option table, as {@code help} prints it. */
    public static String helpText() {
        StringBuilder b = new StringBuilder("httpleak options (-javaagent:httpleak-agent.jar=key=value,... or -Dhttpleak.key=value):\n");
        for (Map.Entry<String, Spec> e : SPECS.entrySet()) {
            Spec s = e.getValue();
            b.append(String.format(Locale.ROOT, "  %-13s %-40s %s%s%n", e.getKey(), s.accepted, s.meaning,
                    s.defaultValue.isEmpty() ? "" : " (default " + s.defaultValue + ")"));
        }
        return b.toString();
    }

    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    public String report() {
        return report;
    }

    public Log log() {
        return log;
    }

    public Stacks stacks() {
        return stacks;
    }

    public Duration suspectAfter() {
        return suspectAfter;
    }

    public List<String> skip() {
        return skip;
    }

    public boolean enabled(Client client) {
        return !disabled.contains(client);
    }

    public Urls urls() {
        return urls;
    }

    public boolean jmx() {
        return jmx;
    }

    public boolean jfr() {
        return jfr;
    }

    /** How often to log pool occupancy and suspects, or null when off. */
    public Duration interval() {
        return interval;
    }

    public boolean helpRequested() {
        return help;
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}; anything else, zero or negative is rejected. */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            } else {
                throw new IllegalArgumentException(text);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text, e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(text);
        }
        return d;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String value) {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    }

    private static boolean bool(String value) {
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(value);
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(";")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return Collections.unmodifiableList(items);
    }

    private static Set<Client> clients(String value) {
        Set<Client> set = EnumSet.noneOf(Client.class);
        for (String id : list(value)) {
            Client c = Client.byId(id);
            if (c == null) {
                throw new IllegalArgumentException(id);
            }
            set.add(c);
        }
        return set;
    }

    private static void spec(String key, String accepted, String meaning, String defaultValue,
            BiConsumer<Options, String> apply) {
        SPECS.put(key, new Spec(accepted, meaning, defaultValue, apply));
    }

    private static final class Spec {
        final String accepted;
        final String meaning;
        final String defaultValue;
        final BiConsumer<Options, String> apply;

        Spec(String accepted, String meaning, String defaultValue, BiConsumer<Options, String> apply) {
            this.accepted = accepted;
            this.meaning = meaning;
            this.defaultValue = defaultValue;
            this.apply = apply;
        }
    }
}
