package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.tensor.HostTensor;

/**
 * Weights held once per process: every session compiled from graphs that share host tensors (the
 * graphs of one model, see {@code SharedWeights}) is given the same ORT tensors through
 * {@code SessionOptions.addExternalInitializers}, ORT's way to provide initializers that live
 * outside the model. On the CPU an ORT tensor over a direct buffer uses the buffer in place, so a
 * weight is one block of memory however many sessions use it (a mapped checkpoint stays mapped);
 * a CUDA session copies it to the device once per session.
 *
 * <p>Entries are counted: a tensor is closed when the last session that used it is.
 */
final class SharedInitializers {
    private record Entry(OnnxTensor tensor, int users) {}

    private static final Map<HostTensor, Entry> BY_TENSOR = new IdentityHashMap<>();

    /** The weights of one session; closing it releases them. */
    static final class Lease implements AutoCloseable {
        private final Map<String, HostTensor> weights;
        private final Map<String, OnnxTensor> tensors;
        private boolean closed;

        private Lease(Map<String, HostTensor> weights, Map<String, OnnxTensor> tensors) {
            this.weights = weights;
            this.tensors = tensors;
        }

        /** By initializer name, for {@code addExternalInitializers}. */
        Map<String, ai.onnxruntime.OnnxTensorLike> tensors() {
            return new LinkedHashMap<>(tensors);
        }

        @Override
        public void close() {
            synchronized (BY_TENSOR) {
                if (closed) return;
                closed = true;
                for (HostTensor t : weights.values()) release(t);
            }
        }
    }

    private SharedInitializers() {}

    static Lease acquire(OrtEnvironment env, Map<String, HostTensor> weights) throws OrtException {
        synchronized (BY_TENSOR) {
            Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
            Map<String, HostTensor> held = new LinkedHashMap<>();
            try {
                for (Map.Entry<String, HostTensor> w : weights.entrySet()) {
                    Entry e = BY_TENSOR.get(w.getValue());
                    e = e == null ? new Entry(OrtTensors.toOrt(env, w.getValue()), 1) : new Entry(e.tensor(), e.users() + 1);
                    BY_TENSOR.put(w.getValue(), e);
                    held.put(w.getKey(), w.getValue());
                    tensors.put(w.getKey(), e.tensor());
                }
            } catch (OrtException | RuntimeException ex) {
                held.values().forEach(SharedInitializers::release);
                throw ex;
            }
            return new Lease(held, tensors);
        }
    }

    /** Tensors alive now (for tests: zero once every session is closed). */
    static int live() {
        synchronized (BY_TENSOR) {
            return BY_TENSOR.size();
        }
    }

    private static void release(HostTensor t) {
        Entry e = BY_TENSOR.get(t);
        if (e == null) return;
        if (e.users() > 1) {
            BY_TENSOR.put(t, new Entry(e.tensor(), e.users() - 1));
        } else {
            BY_TENSOR.remove(t);
            e.tensor().close();
        }
    }
}
