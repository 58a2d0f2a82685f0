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
 * session reads blocked ({@link BlockedConvolutions}) is reordered once into a tensor of its own,
 * and its host tensor is not held here: the plain filter can go once no graph holds it. Tensors are
 * keyed by {@link HostTensor#identity()} and closed with the last session that used them.
 */
final class SharedInitializers {
    /** A weight as ORT reads it: in place (block 0), or a filter reordered into channel blocks. */
    private record Key(Object weight, int block) {}

    /** An ORT tensor, and the host tensor it reads in place (null for a blocked copy): held as long as it is. */
    private record Held(OnnxTensor tensor, HostTensor source) {}

    private static final SharedValues<Key, Held> TENSORS = new SharedValues<>(false, h -> h.tensor().close());

    /** The weights of one session, by initializer name; closing it releases them. */
    static final class Lease implements AutoCloseable {
        private final SharedValues<Key, Held>.Lease held = TENSORS.lease();

        /** By initializer name, to feed as inputs or give to {@code addExternalInitializers}. */
        Map<String, OnnxTensor> tensors() {
            Map<String, OnnxTensor> out = new LinkedHashMap<>();
            held.values().forEach((name, h) -> out.put(name, h.tensor()));
            return out;
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
                HostTensor t = w.getValue();
                if (blocked.contains(w.getKey())) {
                    lease.held.add(w.getKey() + BlockedConvolutions.SUFFIX, new Key(t.identity(), block),
                            () -> new Held(create(() -> BlockedConvolutions.blockedTensor(env, t, block)), null));
                } else {
                    lease.held.add(w.getKey(), new Key(t.identity(), 0), () -> new Held(create(() -> OrtTensors.toOrt(env, t)), t));
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
