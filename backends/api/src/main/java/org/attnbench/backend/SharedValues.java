package org.attnbench.backend;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runtime values shared by key among the executables that use them, counted: the first user
 * creates a value, the last one to release it closes it. Backends keep each weight once this way
 * however many graphs of a model they compile.
 */
public final class SharedValues<K, V> {
    private record Entry<V>(V value, int users) {}

    private final Map<K, Entry<V>> entries;
    private final Consumer<V> close;

    /** @param byIdentity keys compare by identity (a host tensor is the same weight only as the same object) */
    public SharedValues(boolean byIdentity, Consumer<V> close) {
        this.entries = byIdentity ? new IdentityHashMap<>() : new HashMap<>();
        this.close = close;
    }

    /** The value for {@code key}, made by {@code create} if no one holds it yet; one more user either way. */
    public synchronized V acquire(K key, Supplier<V> create) {
        Entry<V> e = entries.get(key);
        e = e == null ? new Entry<>(create.get(), 1) : new Entry<>(e.value(), e.users() + 1);
        entries.put(key, e);
        return e.value();
    }

    /** One user fewer; the value is closed when none is left. */
    public synchronized void release(K key) {
        Entry<V> e = entries.get(key);
        if (e == null) return;
        if (e.users() > 1) {
            entries.put(key, new Entry<>(e.value(), e.users() - 1));
        } else {
            entries.remove(key);
            close.accept(e.value());
        }
    }

    /** A new, empty lease: the values one executable holds, by name. */
    public Lease lease() {
        return new Lease();
    }

    /** The values one executable holds, by name; closing it releases each once. */
    public final class Lease implements AutoCloseable {
        private final Map<String, K> keys = new LinkedHashMap<>();
        private final Map<String, V> values = new LinkedHashMap<>();
        private boolean closed;

        private Lease() {}

        /** Takes the value for {@code key} under {@code name} (see {@link #acquire}). */
        public V add(String name, K key, Supplier<V> create) {
            V v = acquire(key, create);
            keys.put(name, key);
            values.put(name, v);
            return v;
        }

        public Map<String, V> values() {
            return values;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            keys.values().forEach(SharedValues.this::release);
        }
    }

    /** Values alive now. */
    public synchronized int size() {
        return entries.size();
    }
}
