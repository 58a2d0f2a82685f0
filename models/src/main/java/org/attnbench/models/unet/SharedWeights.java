package org.attnbench.models.unet;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.attnbench.tensor.DType;
import org.attnbench.tensor.HostTensor;

/**
 * A weight source that hands out one float32 tensor per name, however many graphs ask: the
 * graphs of ToDo's timestep schedule, the fidelity pass and each batch size are built from the
 * same host tensors, so a backend that keys its copies by {@link HostTensor#identity()}
 * ({@code onnxruntime} and {@code djl} both do) holds each weight once.
 *
 * <p>A tensor is held only while something else holds it: a graph being built, or a backend
 * that runs it in place. A weight that a backend copied into a layout of its own (ONNX Runtime's
 * blocked convolution filters) is then let go, and read again, under the same identity, if a
 * later graph asks for it: its bytes are in memory once, not twice.
 */
public final class SharedWeights implements WeightSource {
    /** The identity of the weight {@code name} of one shared source. */
    private record WeightId(SharedWeights source, String name) {}

    private final WeightSource source;
    private final Map<String, WeakReference<HostTensor>> tensors = new ConcurrentHashMap<>();
    private final Set<String> absent = ConcurrentHashMap.newKeySet();

    private SharedWeights(WeightSource source) {
        this.source = source;
    }

    /** {@code source} shared; a source that already is one is returned as it is. */
    public static SharedWeights of(WeightSource source) {
        return source instanceof SharedWeights s ? s : new SharedWeights(source);
    }

    @Override
    public Optional<HostTensor> tensor(String name) {
        return source.tensor(name);
    }

    @Override
    public synchronized Optional<HostTensor> tensor(String name, long[] shape) {
        if (absent.contains(name)) return Optional.empty();
        WeakReference<HostTensor> held = tensors.get(name);
        HostTensor t = held == null ? null : held.get();
        if (t != null) return Optional.of(t);
        Optional<HostTensor> read = source.tensor(name, shape)
                .map(x -> x.dtype().isFloatingPoint() ? x.toDType(DType.FLOAT32) : x)
                .map(x -> x.withIdentity(new WeightId(this, name)));
        read.ifPresentOrElse(x -> tensors.put(name, new WeakReference<>(x)), () -> absent.add(name));
        return read;
    }

    @Override
    public Set<String> names() {
        return source.names();
    }

    @Override
    public String describe() {
        return source.describe();
    }

    /** Forgets the tensors; the source stays open (its owner closes it). */
    @Override
    public void close() {
        tensors.clear();
        absent.clear();
    }
}
