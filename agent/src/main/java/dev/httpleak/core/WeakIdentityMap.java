package dev.httpleak.core;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity that does not keep its keys alive, for per-object state of
 * client objects the agent may not add fields to (it retransforms classes without changing their shape).
 * Entries whose key died are dropped on the next write (their keys are enqueued by the GC, so this costs one
 * queue poll when none died), and the size is bounded.
 */
public final class WeakIdentityMap<V> {

    private final ConcurrentHashMap<Object, V> map;
    private final ReferenceQueue<Object> dead = new ReferenceQueue<>();
    private final int max;

    /**
     * Sized from the start like the registry's open bodies, so that concurrent writes rarely share a cache line where
     * entries come and go with requests (OkHttp's calls, Apache 5's origins); for the pools it is 8 KB of slack.
     */
    public WeakIdentityMap(int max) {
        this.max = max;
        this.map = new ConcurrentHashMap<>(Math.min(max, Registry.OPEN_CAPACITY));
    }

    public V get(Object key) {
        return map.get(new WeakKey.Lookup(key));
    }

    /**
     * Adds the entry unless the key is present or the map is full. Full means full of keys the GC has not found
     * dead yet; scanning for them on every write would cost each write the whole map until the next GC.
     */
    public void putIfAbsent(Object key, V value) {
        dropDead();
        if (map.size() >= max) {
            return;
        }
        map.putIfAbsent(new WeakKey(key, dead), value);
    }

    public V remove(Object key) {
        return map.remove(new WeakKey.Lookup(key));
    }

    public boolean containsKey(Object key) {
        return map.containsKey(new WeakKey.Lookup(key));
    }

    /** The keys still alive. */
    public List<Object> keys() {
        List<Object> list = new ArrayList<>();
        for (Object k : map.keySet()) {
            Object key = ((WeakKey) k).get();
            if (key == null) {
                map.remove(k);
            } else {
                list.add(key);
            }
        }
        return list;
    }

    public int size() {
        return map.size();
    }

    /** Drops the entries whose keys the GC found dead since the last write. */
    private void dropDead() {
        for (Reference<?> k; (k = dead.poll()) != null; ) {
            map.remove(k); // a dead key equals only itself
        }
    }
}
