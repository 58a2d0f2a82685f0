package org.attnbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.tensor.HostTensor;

/**
 * Weights held once per process and device: the executables compiled from graphs that share host
 * tensors (the graphs of one model, see {@code SharedWeights}) get the same NDArray for each,
 * in the compute dtype. On the CPU libtorch wraps a direct buffer in place, so a float32 weight is
 * then one block of memory; on CUDA it is one device copy instead of one per graph.
 *
 * <p>Arrays live in a manager of their own, outside any executable's, and are counted: an array is
 * closed when the last executable that used it is.
 */
final class SharedArrays {
    private record Key(HostTensor tensor, ai.djl.Device device, DataType dtype) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.tensor == tensor && k.device.equals(device) && k.dtype == dtype;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(tensor) * 31 + device.hashCode() * 7 + dtype.hashCode();
        }
    }

    private record Entry(NDArray array, int users) {}

    private static final Map<Key, Entry> ARRAYS = new HashMap<>();
    private static final Map<ai.djl.Device, NDManager> MANAGERS = new IdentityHashMap<>();

    /** The arrays of one executable; closing it releases them. */
    static final class Lease implements AutoCloseable {
        private final Map<String, Key> keys;
        private final Map<String, NDArray> arrays;
        private boolean closed;

        private Lease(Map<String, Key> keys, Map<String, NDArray> arrays) {
            this.keys = keys;
            this.arrays = arrays;
        }

        Map<String, NDArray> arrays() {
            return arrays;
        }

        @Override
        public void close() {
            synchronized (ARRAYS) {
                if (closed) return;
                closed = true;
                keys.values().forEach(SharedArrays::release);
            }
        }
    }

    private SharedArrays() {}

    static Lease acquire(Engine engine, ai.djl.Device device, DataType compute, Map<String, HostTensor> weights) {
        synchronized (ARRAYS) {
            NDManager manager = MANAGERS.computeIfAbsent(device, engine::newBaseManager);
            Map<String, Key> keys = new LinkedHashMap<>();
            Map<String, NDArray> arrays = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, HostTensor> w : weights.entrySet()) {
                    Key key = new Key(w.getValue(), device, compute);
                    Entry e = ARRAYS.get(key);
                    e = e == null ? new Entry(create(manager, w.getValue(), compute), 1) : new Entry(e.array(), e.users() + 1);
                    ARRAYS.put(key, e);
                    keys.put(w.getKey(), key);
                    arrays.put(w.getKey(), e.array());
                }
            } catch (RuntimeException ex) {
                keys.values().forEach(SharedArrays::release);
                throw ex;
            }
            return new Lease(keys, arrays);
        }
    }

    /** Arrays alive now (for tests: zero once every executable is closed). */
    static int live() {
        synchronized (ARRAYS) {
            return ARRAYS.size();
        }
    }

    private static NDArray create(NDManager manager, HostTensor t, DataType compute) {
        NDArray a = Tensors.toNd(manager, t);
        if (compute == DataType.FLOAT32 || a.getDataType() != DataType.FLOAT32) return a;
        NDArray cast = a.toType(compute, false);
        a.close();
        return cast;
    }

    private static void release(Key key) {
        Entry e = ARRAYS.get(key);
        if (e == null) return;
        if (e.users() > 1) {
            ARRAYS.put(key, new Entry(e.array(), e.users() - 1));
        } else {
            ARRAYS.remove(key);
            e.array().close();
        }
    }
}
