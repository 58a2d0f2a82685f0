package org.attnbench.backend.onnxruntime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.attnbench.backend.SharedValues;
import org.attnbench.tensor.HostTensor;

/**
 * Weights held once per process: every session compiled from graphs that share host tensors (the
 * graphs of one model, see {@code SharedWeights}) is given the same ORT tensors through
 * {@code SessionOptions.addExternalInitializers}, ORT's way to provide initializers that live
 * outside the model. On the CPU an ORT tensor over a direct buffer uses the buffer in place; a
 * CUDA session copies it to the device once per session. A tensor is closed with the last session
 * that used it.
 */
final class SharedInitializers {
    private static final SharedValues<HostTensor, OnnxTensor> TENSORS = new SharedValues<>(true, OnnxTensor::close);

    /** The weights of one session, by initializer name; closing it releases them. */
    static final class Lease implements AutoCloseable {
        private final SharedValues<HostTensor, OnnxTensor>.Lease held = TENSORS.lease();

        /** For {@code addExternalInitializers}. */
        Map<String, OnnxTensorLike> tensors() {
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
