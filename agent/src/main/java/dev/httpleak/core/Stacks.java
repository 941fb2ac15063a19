package dev.httpleak.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names the site of a body and captures allocation stacks. Naming the site walks only as far as the first
 * user frame; a whole stack is captured only when {@code stacks=} asks for it (for {@code sampled}: the
 * first body of each site). Identical stacks are stored once.
 */
final class Stacks {

    /** Stack frames kept per body at most; deeper frames add nothing a reader needs. */
    static final int MAX_FRAMES = 64;

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final int MAX_DISTINCT_STACKS = 10_000;

    private final SiteRules rules;
    private final ConcurrentHashMap<StackKey, StackTraceElement[]> distinct = new ConcurrentHashMap<>();

    Stacks(SiteRules rules) {
        this.rules = rules;
    }

    /** The site of the calling code: the first non-library frame, else the first frame outside the agent. */
    String site() {
        Optional<StackWalker.StackFrame> user = WALKER.walk(frames ->
                frames.filter(f -> !rules.isLibrary(f.getClassName())).findFirst());
        if (user.isPresent()) {
            return user.get().toStackTraceElement().toString();
        }
        return WALKER.walk(frames -> frames.filter(f -> !SiteRules.isAgent(f.getClassName())).findFirst())
                .map(f -> f.toStackTraceElement().toString()).orElse("unknown");
    }

    /** The site of a stack taken as a {@link Throwable}, by the same rules as {@link #site()}. */
    String site(Throwable taken) {
        StackTraceElement[] all = taken.getStackTrace();
        for (StackTraceElement f : all) {
            if (!rules.isLibrary(f.getClassName())) {
                return f.toString();
            }
        }
        for (StackTraceElement f : all) {
            if (!SiteRules.isAgent(f.getClassName())) {
                return f.toString();
            }
        }
        return "unknown";
    }

    /** The calling stack without the agent's own frames, stored once per distinct stack. */
    StackTraceElement[] capture() {
        List<StackTraceElement> frames = WALKER.walk(s -> {
            List<StackTraceElement> list = new ArrayList<>();
            s.dropWhile(f -> SiteRules.isAgent(f.getClassName())).limit(MAX_FRAMES)
                    .forEach(f -> list.add(f.toStackTraceElement()));
            return list;
        });
        return dedupe(frames.toArray(new StackTraceElement[0]));
    }

    /** The stored copy of an equal stack, so that a million leaks from one place keep one stack. */
    StackTraceElement[] dedupe(StackTraceElement[] stack) {
        if (stack == null) {
            return null;
        }
        if (distinct.size() >= MAX_DISTINCT_STACKS) {
            return distinct.getOrDefault(new StackKey(stack), stack);
        }
        StackTraceElement[] known = distinct.putIfAbsent(new StackKey(stack), stack);
        return known != null ? known : stack;
    }

    /**
     * The frames of a stack taken as a {@link Throwable} (cheaper to take than frames: the JVM fills them in only
     * when asked), without the agent's own frames, at most {@link #MAX_FRAMES}.
     */
    static StackTraceElement[] frames(Throwable taken) {
        StackTraceElement[] all = taken.getStackTrace();
        int from = 0;
        while (from < all.length && SiteRules.isAgent(all[from].getClassName())) {
            from++;
        }
        return Arrays.copyOfRange(all, from, Math.min(all.length, from + MAX_FRAMES));
    }

    private static final class StackKey {
        private final StackTraceElement[] frames;
        private final int hash;

        StackKey(StackTraceElement[] frames) {
            this.frames = frames;
            this.hash = Arrays.hashCode(frames);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StackKey && Arrays.equals(frames, ((StackKey) o).frames);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
