package dev.httpleak.core;

/**
 * The daemon thread that counts bodies as leaked when the GC finds them unreachable while still open, and moves
 * bodies open for a while from their threads' lanes to where the GC can find them (see {@link Registry#move}).
 */
public final class Reaper implements Runnable {

    private final Registry registry;

    private Reaper(Registry registry) {
        this.registry = registry;
    }

    public static Thread start(Registry registry) {
        Thread t = new Thread(new Reaper(registry), "httpleak-reaper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                registry.reapNext(Registry.MOVE_MILLIS);
                registry.maintain();
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // Keep counting whatever one record did.
            }
        }
    }
}
