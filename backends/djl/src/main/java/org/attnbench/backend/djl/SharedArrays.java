package org.attnbench.backend.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.backend.SharedValues;
import org.attnbench.tensor.HostTensor;

/**
 * Weights held once per process and device: the executables compiled from graphs that share host
 * tensors (the graphs of one model, see {@code SharedWeights}) get the same NDArray for each, in
 * the compute dtype. On the CPU libtorch wraps a direct buffer in place, so a float32 weight is
 * then one block of memory; on CUDA it is one device copy instead of one per graph. Arrays live in
 * a manager of their own, outside any executable's, and are closed with the last executable that
 * used them.
 */
final class SharedArrays {
    /** A weight ({@link HostTensor#identity()}) on a device in a dtype. */
    private record Key(Object weight, ai.djl.Device device, DataType dtype) {}

    /** An array, and the host tensor it may wrap in place (null for a cast copy): held as long as the array is. */
    private record Held(NDArray array, HostTensor source) {}

    private static final SharedValues<Key, Held> ARRAYS = new SharedValues<>(false, h -> h.array().close());
    private static final Map<ai.djl.Device, NDManager> MANAGERS = new IdentityHashMap<>();

    /** The arrays of one executable, by weight name; closing it releases them. */
    static final class Lease implements AutoCloseable {
        private final SharedValues<Key, Held>.Lease held = ARRAYS.lease();

        Map<String, NDArray> arrays() {
            Map<String, NDArray> out = new LinkedHashMap<>();
            held.values().forEach((name, h) -> out.put(name, h.array()));
            return out;
        }

        @Override
        public void close() {
            held.close();
        }
    }

    private SharedArrays() {}

    static Lease acquire(Engine engine, ai.djl.Device device, DataType compute, Map<String, HostTensor> weights) {
        NDManager manager;
        synchronized (MANAGERS) {
            manager = MANAGERS.computeIfAbsent(device, engine::newBaseManager);
        }
        Lease lease = new Lease();
        try {
            for (Map.Entry<String, HostTensor> w : weights.entrySet()) {
                HostTensor t = w.getValue();
                lease.held.add(w.getKey(), new Key(t.identity(), device, compute),
                        () -> create(manager, t, compute));
            }
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
        return lease;
    }

    /** Arrays alive now (for tests: back to where it was once every executable is closed). */
    static int live() {
        return ARRAYS.size();
    }

    /** The weight as an array in {@code compute}: over the host tensor, or a cast copy that no longer needs it. */
    private static Held create(NDManager manager, HostTensor t, DataType compute) {
        NDArray a = Tensors.toNd(manager, t);
        if (compute == DataType.FLOAT32 || a.getDataType() != DataType.FLOAT32) return new Held(a, t);
        NDArray cast = a.toType(compute, false);
        a.close();
        return new Held(cast, null);
    }
}
