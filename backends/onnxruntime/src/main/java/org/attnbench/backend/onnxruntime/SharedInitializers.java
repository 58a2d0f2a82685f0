package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.backend.SharedValues;
import org.attnbench.tensor.HostTensor;

/**
 * Weights held once per process: every session compiled from graphs that share host tensors (the
 * graphs of one model, see {@code SharedWeights}) uses the same ORT tensors, each over its host
 * tensor's direct buffer. A shared session reads them in place as inputs ({@link WeightInputs}); a
 * per-session one is given them as initializers, which ORT copies. A tensor is closed with the last
 * session that used it.
 */
final class SharedInitializers {
    private static final SharedValues<HostTensor, OnnxTensor> TENSORS = new SharedValues<>(true, OnnxTensor::close);

    /** The weights of one session, by initializer name; closing it releases them. */
    static final class Lease implements AutoCloseable {
        private final SharedValues<HostTensor, OnnxTensor>.Lease held = TENSORS.lease();

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
        Lease lease = new Lease();
        try {
            for (Map.Entry<String, HostTensor> w : weights.entrySet()) {
                lease.held.add(w.getKey(), w.getValue(), () -> create(env, w.getValue()));
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

    private static OnnxTensor create(OrtEnvironment env, HostTensor t) {
        try {
            return OrtTensors.toOrt(env, t);
        } catch (OrtException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
