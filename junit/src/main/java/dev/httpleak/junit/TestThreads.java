package dev.httpleak.junit;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells which test a body belongs to by the name of the thread that opened it (the agent records names,
 * never {@code Thread}s): the test's own thread; a thread first seen during the test; or a thread nobody can
 * be told apart from. A thread that some earlier watched test started, and the thread that runs some other
 * test, belong to that test and are not pinned on this one.
 */
final class TestThreads {

    /** Threads that ran a watched test. */
    private static final Set<String> RUNNERS = ConcurrentHashMap.newKeySet();
    /** Thread name -> the watched test during which it was first seen alive. */
    private static final ConcurrentHashMap<String, Watch> STARTED_BY = new ConcurrentHashMap<>();

    private TestThreads() {
    }

    static Watch start(String id, String name) {
        String runner = Thread.currentThread().getName();
        RUNNERS.add(runner);
        return new Watch(id, name, runner, alive());
    }

    /** The names of the platform threads alive now (virtual threads are not listed; their names are empty). */
    static Set<String> alive() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            names.add(threads[i].getName());
        }
        return names;
    }

    /** Threads every test may use, whichever test happened to start them: the common ForkJoinPool's. */
    private static boolean shared(String thread) {
        return thread.startsWith("ForkJoinPool.commonPool-worker-");
    }

    /** One test's view of the threads. */
    static final class Watch {
        final String id;
        final String name;
        final String runner;
        private Set<String> aliveAtStart;

        Watch(String id, String name, String runner, Set<String> aliveAtStart) {
            this.id = id;
            this.name = name;
            this.runner = runner;
            this.aliveAtStart = aliveAtStart;
        }

        /** Records the threads that this test started and left running. */
        void finish() {
            for (String thread : alive()) {
                if (!aliveAtStart.contains(thread) && !RUNNERS.contains(thread) && !shared(thread)) {
                    STARTED_BY.putIfAbsent(thread, this);
                }
            }
            aliveAtStart = Set.of(); // kept in STARTED_BY for the rest of the run: keep it small
        }

        /** Whether a body opened by this thread during this test is this test's. */
        boolean owns(String thread) {
            return thread == null || thread.isEmpty() || thread.equals(runner) || owner(thread) == null;
        }

        /** How the thread belongs to another test ("started during ..."), or null when it is not another's. */
        String owner(String thread) {
            if (thread == null || thread.isEmpty() || thread.equals(runner)) {
                return null;
            }
            if (RUNNERS.contains(thread)) {
                return "which runs another test";
            }
            Watch w = STARTED_BY.get(thread);
            return w == null || w.id.equals(id) ? null : "started during " + w.name;
        }
    }
}
