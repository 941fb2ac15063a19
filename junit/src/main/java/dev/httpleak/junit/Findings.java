package dev.httpleak.junit;

import dev.httpleak.core.Leak;
import dev.httpleak.core.OpenBody;
import dev.httpleak.core.Registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The bodies opened since a baseline that were not closed, and the message that names them. */
final class Findings {

    /** The retry window: how long to wait for open bodies to be closed or found unreachable. */
    static final long SETTLE_MILLIS = 1_000;
    /** GC rounds when open bodies are allowed: one more than needed, for a GC that enqueues late. */
    private static final int ROUNDS_WHEN_OPEN_ALLOWED = 2;
    /** Frames shown per stack in the message: up to the test framework, at most this many. */
    private static final int MAX_FRAMES = 30;

    final List<Culprit> leaked = new ArrayList<>();
    final List<Culprit> open = new ArrayList<>();
    /** Bodies that belong to another test (see {@link TestThreads}). */
    final List<Culprit> others = new ArrayList<>();

    /**
     * Settles (GC and reference-queue drain, repeated while a body opened since the baseline is still open,
     * within {@link #SETTLE_MILLIS}), then lists leaked and open bodies opened at or after {@code since}.
     */
    static Findings collect(Registry registry, long since, boolean failOnOpen, Predicate<String> ownsThread) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        List<OpenBody> open = openSince(registry, since);
        // Nothing open: every body of the test was closed or has been counted as leaked; no GC needed.
        for (int round = 0; !open.isEmpty(); round++) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !failOnOpen && round >= ROUNDS_WHEN_OPEN_ALLOWED) {
                break;
            }
            registry.settle(left);
            open = openSince(registry, since);
        }
        // A body that just left the open bodies may still be on its way into the list of leaks.
        registry.awaitReaped(100);
        Findings f = new Findings();
        for (Leak l : registry.leaksOpenedSince(since)) {
            Culprit c = new Culprit("leaked", l.client.id(), l.site, l.request, l.status, l.thread, l.stack);
            (ownsThread.test(l.thread) ? f.leaked : f.others).add(c);
        }
        for (OpenBody o : open) {
            Culprit c = new Culprit("still open", o.client.id(), o.site, o.request, -1, o.thread, o.stack);
            (ownsThread.test(o.thread) ? f.open : f.others).add(c);
        }
        return f;
    }

    private static List<OpenBody> openSince(Registry registry, long since) {
        List<OpenBody> list = new ArrayList<>();
        for (OpenBody o : registry.openBodies()) {
            if (o.openedNanos - since >= 0) {
                list.add(o);
            }
        }
        return list;
    }

    /** The failure for these findings, or null when there is nothing to fail for. */
    AssertionError error(String when, boolean failOnOpen) {
        List<Culprit> failing = new ArrayList<>(leaked);
        if (failOnOpen) {
            failing.addAll(open);
        }
        if (failing.isEmpty()) {
            return null;
        }
        int total = failing.size();
        StringBuilder m = new StringBuilder();
        m.append(total).append(total == 1 ? " HTTP response body" : " HTTP response bodies")
                .append(" opened ").append(when).append(total == 1 ? " was" : " were").append(" not closed (")
                .append(leaked.size()).append(" leaked");
        if (failOnOpen) {
            m.append(", ").append(open.size()).append(" still open");
        }
        m.append("). Close each body, or read it to its end.");
        appendGroups(m, failing);
        AssertionError error = new AssertionError(m.toString());
        // The error points at the line that opened the body: the first thing a reader clicks.
        StackTraceElement[] stack = failing.get(0).stack;
        if (stack != null && stack.length > 0) {
            error.setStackTrace(fromSite(stack, failing.get(0).site));
        }
        return error;
    }

    /** The stack from the site down (the client's own frames above it are in the message). */
    private static StackTraceElement[] fromSite(StackTraceElement[] stack, String site) {
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].toString().equals(site)) {
                return Arrays.copyOfRange(stack, i, stack.length);
            }
        }
        return stack;
    }

    /** Tells on stderr about bodies that another test's threads left, so they are not lost silently. */
    void reportOthers(TestThreads.Watch watch) {
        if (others.isEmpty()) {
            return;
        }
        StringBuilder m = new StringBuilder("[httpleak] ").append(watch.name).append(": ").append(others.size())
                .append(others.size() == 1 ? " body that another test's thread opened during this test was"
                        : " bodies that other tests' threads opened during this test were")
                .append(" not closed; not failing this test for ").append(others.size() == 1 ? "it:" : "them:");
        for (Culprit c : others) {
            m.append("\n  ").append(c.kind).append(" at ").append(c.site).append(" [").append(c.client)
                    .append("] on thread '").append(c.thread).append("', ").append(watch.owner(c.thread));
        }
        System.err.println(m);
    }

    private static void appendGroups(StringBuilder m, List<Culprit> failing) {
        Map<String, List<Culprit>> groups = new LinkedHashMap<>();
        for (Culprit c : failing) {
            groups.computeIfAbsent(c.kind + '|' + c.client + '|' + c.site, k -> new ArrayList<>()).add(c);
        }
        for (List<Culprit> group : groups.values()) {
            Culprit first = group.get(0);
            m.append("\n\n").append(group.size()).append(' ').append(first.kind).append(" at ").append(first.site)
                    .append("\n    client: ").append(first.client)
                    .append("\n    request: ").append(first.request);
            if (first.status >= 0) {
                m.append(" (status ").append(first.status).append(')');
            }
            long otherRequests = group.stream().map(c -> c.request).distinct().count() - 1;
            if (otherRequests > 0) {
                m.append(" and ").append(otherRequests).append(" other request(s)");
            }
            m.append("\n    thread: ").append(first.thread);
            StackTraceElement[] stack = null;
            for (Culprit c : group) {
                stack = stack != null ? stack : c.stack;
            }
            if (stack == null) {
                m.append("\n    (no allocation stack captured; the agent option stacks=all keeps one per body)");
                continue;
            }
            m.append("\n    opened at:");
            int shown = 0;
            for (StackTraceElement frame : stack) {
                if (shown == MAX_FRAMES || isTestFramework(frame.getClassName()) && shown > 0) {
                    m.append("\n        ...");
                    break;
                }
                m.append("\n        at ").append(frame);
                shown++;
            }
        }
    }

    /** Where the stack leaves the test and enters the framework that called it. */
    private static boolean isTestFramework(String className) {
        return className.startsWith("org.junit.") || className.startsWith("jdk.internal.reflect.")
                || className.startsWith("java.lang.reflect.") || className.startsWith("org.testng.")
                || className.startsWith("org.apache.maven.surefire.");
    }

    /** One body not closed, as the message shows it. */
    static final class Culprit {
        final String kind;
        final String client;
        final String site;
        final String request;
        final int status;
        final String thread;
        final StackTraceElement[] stack;

        Culprit(String kind, String client, String site, String request, int status, String thread,
                StackTraceElement[] stack) {
            this.kind = kind;
            this.client = client;
            this.site = site;
            this.request = request;
            this.status = status;
            this.thread = thread;
            this.stack = stack;
        }
    }
}
