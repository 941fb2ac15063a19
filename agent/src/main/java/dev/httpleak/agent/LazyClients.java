package dev.httpleak.agent;

import dev.httpleak.core.Core;
import dev.httpleak.instrumentation.ClientSupport;
import dev.httpleak.report.LogOutput;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one class file transformer the agent registers. It instruments a client only once the first of that
 * client's classes loads: a JVM that never uses a client never pays for it, and one that uses none never loads
 * Byte Buddy (about a thousand classes and a few hundred milliseconds, which would otherwise delay {@code main}).
 * From then on it hands exactly that client's classes to the client's Byte Buddy transformer; every other class
 * costs one hash lookup of its name.
 *
 * <p>The class whose loading sets a client up is transformed on the spot, and the client's classes loaded
 * already (an attach) are retransformed, so no class of a client escapes. A thread that loads one of the
 * client's classes while another sets it up waits for that set-up, at most {@link #WAIT_MILLIS}.
 */
final class LazyClients implements ClassFileTransformer {

    /** How long a class load waits for another thread's set-up of its client before it goes on without. */
    static final long WAIT_MILLIS = 10_000;

    private final Instrumentation instrumentation;
    /** Internal class names ({@code a/b/C$D}) to their client; never changed after construction. */
    private final Map<String, Pending> byName = new HashMap<>();

    LazyClients(Instrumentation instrumentation, Core core, List<ClientSupport> supports) {
        this.instrumentation = instrumentation;
        for (ClientSupport support : supports) {
            Pending pending = new Pending(support, core);
            for (String type : support.types()) {
                byName.put(type.replace('.', '/'), pending);
            }
        }
    }

    /** Registers this transformer, then sets up at once each client whose classes are loaded already. */
    void start() {
        instrumentation.addTransformer(this, true);
        List<Pending> inUse = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            Pending p = pendingOf(c);
            if (p != null && !inUse.contains(p)) {
                inUse.add(p);
            }
        }
        for (Pending p : inUse) {
            p.transformer();
        }
    }

    /** The client a loaded class belongs to, or null. */
    private Pending pendingOf(Class<?> c) {
        return byName.get(c.getName().replace('.', '/'));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] classfile) {
        Pending pending = className == null ? null : byName.get(className);
        if (pending == null) {
            return null;
        }
        try {
            ClassFileTransformer t = pending.transformer();
            return t == null ? null : t.transform(module, loader, className, redefined, domain, classfile);
        } catch (Throwable t) {
            pending.failed(t);
            return null;
        }
    }

    /** One client: not set up, being set up by one thread, set up, or failed. */
    private final class Pending {
        private final ClientSupport support;
        private final Core core;
        private volatile ClassFileTransformer transformer;
        private volatile boolean failed;
        /** The thread setting the client up, while it does; guarded by this. */
        private Thread installer;

        Pending(ClientSupport support, Core core) {
            this.support = support;
            this.core = core;
        }

        /**
         * The client's transformer, set up first if this is the first of its classes; null when it failed, or
         * when called again from inside the set-up (a class its own set-up loads, retransformed by it right after).
         */
        ClassFileTransformer transformer() {
            ClassFileTransformer t = transformer;
            if (t != null || failed) {
                return t;
            }
            synchronized (this) {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
                while (installer != null) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (installer == Thread.currentThread() || left <= 0) {
                        return null;
                    }
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                }
                if (transformer != null || failed) {
                    return transformer;
                }
                installer = Thread.currentThread();
            }
            try {
                install();
            } catch (Throwable e) {
                failed(e);
            } finally {
                synchronized (this) {
                    installer = null;
                    notifyAll();
                }
            }
            return transformer;
        }

        /** Builds the client's transformer, then retransforms the client's classes that are loaded already. */
        private void install() throws Exception {
            transformer = support.instrument(core).makeRaw();
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> c : instrumentation.getAllLoadedClasses()) {
                if (pendingOf(c) == this && instrumentation.isModifiableClass(c)) {
                    loaded.add(c);
                }
            }
            if (!loaded.isEmpty()) {
                instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
            }
        }

        void failed(Throwable t) {
            if (!failed) {
                failed = true;
                LogOutput.info("could not instrument " + support.client().id()
                        + ", the other clients are unaffected: " + t);
            }
        }
    }
}
