package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.attnbench.backend.SharedValues;
import org.attnbench.tensor.HostTensor;

/**
 * Weights held once per process: every session compiled from graphs that share host tensors (the
 * graphs of one model, see {@code SharedWeights}) uses the same ORT tensors, each over its host
 * tensor's direct buffer. A shared session reads them in place as inputs ({@link WeightInputs}); a
 * per-session one is given them as initializers, which ORT copies. A convolution filter a shared
 * session reads blocked ({@link BlockedConvolutions}) is reordered once into a tensor of its own. A
 * tensor is closed with the last session that used it.
 */
final class SharedInitializers {
    /** A weight as ORT reads it: in place (block 0), or a filter reordered into channel blocks. */
    private record Key(HostTensor weight, int block) {}

    private static final SharedValues<Key, OnnxTensor> TENSORS = new SharedValues<>(false, OnnxTensor::close);

    /** The weights of one session, by initializer name; closing it releases them. */
    static final class Lease implements AutoCloseable {
        private final SharedValues<Key, OnnxTensor>.Lease held = TENSORS.lease();

        /** By initializer name, to feed as inputs or give to {@code addExternalInitializers}. */
        Map<String, OnnxTensor> tensors() {
            return new LinkedHashMap<>(held.values());
        }

        @Override
        public void close() {
            held.close();
        }
    }

    private SharedInitializers() {}

    static Lease acquire(OrtEnvironment env, Map<String, HostTensor> weights) throws OrtException {
        return acquire(env, weights, Set.of(), 0);
    }

    /** As {@link #acquire(OrtEnvironment, Map)}, but the filters named in {@code blocked} reordered, under their blocked names. */
    static Lease acquire(OrtEnvironment env, Map<String, HostTensor> weights, Set<String> blocked, int block)
            throws OrtException {
        Lease lease = new Lease();
        try {
            for (Map.Entry<String, HostTensor> w : weights.entrySet()) {
                if (blocked.contains(w.getKey())) {
                    lease.held.add(w.getKey() + BlockedConvolutions.SUFFIX, new Key(w.getValue(), block),
                            () -> create(() -> BlockedConvolutions.blockedTensor(env, w.getValue(), block)));
                } else {
                    lease.held.add(w.getKey(), new Key(w.getValue(), 0), () -> create(() -> OrtTensors.toOrt(env, w.getValue())));
                }
            }
        } catch (RuntimeException e) {
            lease.close();
            if (e.getCause() instanceof OrtException o) throw o;
            throw e;
        }
        return lease;
    }

    /** Tensors alive now (for tests: back to where it was once every session is closed). */
    static int live() {
        return TENSORS.size();
    }

    private interface Creation {
        OnnxTensor create() throws OrtException;
    }

    private static OnnxTensor create(Creation creation) {
        try {
            return creation.create();
        } catch (OrtException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
