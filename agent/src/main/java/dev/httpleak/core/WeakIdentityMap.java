package dev.httpleak.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity that does not keep its keys alive, for per-object state of
 * client objects the agent may not add fields to (it retransforms classes without changing their shape).
 * Entries whose key died are dropped as they are met, and the size is bounded.
 */
public final class WeakIdentityMap<V> {

    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final int max;

    public WeakIdentityMap(int max) {
        this.max = max;
    }

    public V get(Object key) {
        return map.get(new WeakKey.Lookup(key));
    }

    /** Adds the entry unless the key is present or the map is full (after dropping dead keys). */
    public void putIfAbsent(Object key, V value) {
        if (map.size() >= max) {
            expunge();
            if (map.size() >= max) {
                return;
            }
        }
        map.putIfAbsent(new WeakKey(key), value);
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

    private void expunge() {
        map.keySet().removeIf(k -> ((WeakKey) k).get() == null);
    }
}
