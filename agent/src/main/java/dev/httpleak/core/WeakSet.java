package dev.httpleak.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** A concurrent identity set that does not keep its members alive. */
final class WeakSet {

    /** Members kept at most; pools are few, so this only guards against a client created per request. */
    static final int MAX = 10_000;

    private final ConcurrentHashMap<Object, Boolean> members = new ConcurrentHashMap<>();

    void add(Object member) {
        if (members.containsKey(new WeakKey.Lookup(member))) {
            return;
        }
        if (members.size() >= MAX) {
            members.keySet().removeIf(k -> ((WeakKey) k).get() == null);
            if (members.size() >= MAX) {
                return;
            }
        }
        members.putIfAbsent(new WeakKey(member), Boolean.TRUE);
    }

    /** The members still alive. */
    List<Object> live() {
        List<Object> list = new ArrayList<>();
        for (Object key : members.keySet()) {
            Object member = ((WeakKey) key).get();
            if (member == null) {
                members.remove(key);
            } else {
                list.add(member);
            }
        }
        return list;
    }
}
